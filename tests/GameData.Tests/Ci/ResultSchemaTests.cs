using GameData.Tests.Loading;

namespace GameData.Tests.Ci;

/// <summary>What the tool really writes with <c>--result-json</c> conforms to the published schema, for every command and outcome.</summary>
[Parallelizable(ParallelScope.All)]
public class ResultSchemaTests
{
    [Test]
    public void Validate_results_conform_valid_and_invalid()
    {
        using var folder = new TempFolder();
        var json = folder.File("validate.json");
        Assert.That(CliRunner.Run(["validate", "--data", TestDatasets.Small, "--result-json", json]).ExitCode, Is.Zero);
        Assert.That(ResultSchema.Errors(File.ReadAllText(json)), Is.Empty);

        var broken = folder.File("broken");
        Directory.CreateDirectory(broken);
        foreach (var file in Directory.GetFiles(TestDatasets.Small)) File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));
        File.AppendAllText(Path.Combine(broken, "raw_players.csv"), "not,a,player\n");
        CliRunner.Run(["validate", "--data", broken, "--result-json", json]);
        Assert.That(File.ReadAllText(json), Does.Contain("\"invalid\""));
        Assert.That(ResultSchema.Errors(File.ReadAllText(json)), Is.Empty);
    }

    [Test]
    public void Load_results_conform_failed_succeeded_and_up_to_date()
    {
        using var target = new DuckDbTarget();
        using var folder = new TempFolder();
        var json = folder.File("load.json");
        string[] load = ["load", "--data", TestDatasets.Small, "--result-json", json, .. target.CliArgs];

        Assert.That(CliRunner.Run(load).ExitCode, Is.EqualTo(1), "never migrated");
        Assert.That(ResultSchema.Errors(File.ReadAllText(json)), Is.Empty);
        target.Migrate();
        Assert.That(CliRunner.Run(load).ExitCode, Is.Zero);
        Assert.That(ResultSchema.Errors(File.ReadAllText(json)), Is.Empty);
        Assert.That(CliRunner.Run(load).ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(json), Does.Contain("up to date"));
        Assert.That(ResultSchema.Errors(File.ReadAllText(json)), Is.Empty);
    }

    [Test]
    public void Reset_results_conform()
    {
        using var folder = new TempFolder();
        var json = folder.File("reset.json");

        var result = CliRunner.Run(["reset", "--duckdb-dir", folder.File("class"), "--schema", "alice,bob", "--players", "50", "--yes", "--result-json", json]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(ResultSchema.Errors(File.ReadAllText(json)), Is.Empty);
    }

    [Test]
    public void The_schema_refuses_what_the_tool_would_never_write()
    {
        Assert.That(ResultSchema.Errors("""{"command": "load", "seconds": 1, "target": "duckdb x"}"""), Is.Not.Empty, "no status");
        Assert.That(ResultSchema.Errors("""{"command": "reset", "status": "succeeded", "seconds": 1, "targets": [{"name": "a"}]}"""), Is.Not.Empty);
        Assert.That(ResultSchema.Errors("""{"command": "load", "status": "succeeded", "seconds": -1, "target": "duckdb x"}"""), Is.Not.Empty);
    }
}
