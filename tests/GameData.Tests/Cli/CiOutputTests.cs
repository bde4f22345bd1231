using System.Text.Json;
using GameData.Generation;
using GameData.Tests.Loading;
using GameData.Tests.Validation;

namespace GameData.Tests.Cli;

/// <summary>What CI pipelines read: <c>--result-json</c> on validate and load, and on GitHub Actions annotations and a step summary.</summary>
[Parallelizable(ParallelScope.All)]
public class CiOutputTests
{
    [Test]
    public void Validation_errors_become_annotations_a_step_summary_and_a_result_file()
    {
        using var data = new BrokenDataset(keepManifest: true);
        data.WriteLines(DatasetFiles.Events, data.Lines(DatasetFiles.Events).Select((l, i) => i == 1 ? l.Replace(",1.0.3,", ",1.0.3,x,") : l));
        var summary = data.PathOf("summary.md");
        var json = data.PathOf("result.json");

        var result = CliRunner.Run(["validate", "--data", data.Folder, "--result-json", json],
            new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary });

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.StdOut, Does.Contain($"::error file={Path.Combine(data.Folder, DatasetFiles.Events).Replace(":", "%3A")},line=2::field-count: 8 fields, expected 7"));
        Assert.That(File.ReadAllText(summary), Does.Contain("gamedata validate: **invalid**").And.Contain("| field-count | error | 1 |"));
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(document.RootElement.GetProperty("status").GetString(), Is.EqualTo("invalid"));
        Assert.That(document.RootElement.GetProperty("violations").GetProperty("field-count").GetProperty("count").GetInt64(), Is.EqualTo(1));
        Assert.That(document.RootElement.GetProperty("rows").GetProperty(DatasetFiles.Players).GetInt64(), Is.Positive);
    }

    [Test]
    public void Without_GitHub_Actions_there_are_no_annotations()
    {
        using var data = new BrokenDataset(keepManifest: true);
        data.WriteLines(DatasetFiles.Events, data.Lines(DatasetFiles.Events).Select((l, i) => i == 1 ? l.Replace(",1.0.3,", ",1.0.3,x,") : l));
        Assert.That(CliRunner.Run(["validate", "--data", data.Folder]).StdOut, Does.Not.Contain("::error"));
    }

    [TestCase("validate")]
    [TestCase("load")]
    public void A_value_from_the_data_cannot_start_a_workflow_command(string verb)
    {
        using var data = new BrokenDataset();
        data.WriteLines(DatasetFiles.Players, data.Lines(DatasetFiles.Players).Select((l, i) =>
            i == 1 ? string.Join(',', l.Split(',').Select((f, j) => j == 2 ? "\"zz\n::error title=injected::owned\r\u0007\"" : f)) : l));
        using var target = new DuckDbTarget();
        if (verb == "load") target.Migrate();

        var result = CliRunner.Run(verb == "validate" ? ["validate", "--data", data.Folder] : ["load", "--data", data.Folder, .. target.CliArgs],
            new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true" });

        Assert.That(result.ExitCode, Is.Not.Zero);
        var lines = (result.StdOut + result.StdErr).Split('\n');
        Assert.That(lines.Where(l => l.TrimStart().StartsWith("::", StringComparison.Ordinal) && !l.StartsWith("::error file=", StringComparison.Ordinal)), Is.Empty,
            result.StdOut + result.StdErr);
        Assert.That(result.StdOut + result.StdErr, Does.Contain("zz\\n::error title=injected::owned\\r\\u0007"), "control characters shown as escapes");
    }

    [Test]
    public void A_load_writes_its_result_whether_it_succeeds_or_fails()
    {
        using var target = new DuckDbTarget();
        using var folder = new TempFolder();
        var json = folder.File("load.json");

        var failed = CliRunner.Run(["load", "--data", TestDatasets.Small, "--result-json", json, .. target.CliArgs]);
        Assert.That(failed.ExitCode, Is.EqualTo(1), "never migrated");
        using (var document = JsonDocument.Parse(File.ReadAllText(json)))
        {
            Assert.That(document.RootElement.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(document.RootElement.GetProperty("error").GetString(), Does.Contain("run MigrateRaw first"));
        }

        target.Migrate();
        var loaded = CliRunner.Run(["load", "--data", TestDatasets.Small, "--result-json", json, .. target.CliArgs]);
        Assert.That(loaded.ExitCode, Is.Zero, loaded.StdErr);
        using (var document = JsonDocument.Parse(File.ReadAllText(json)))
        {
            var root = document.RootElement;
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(root.GetProperty("load_id").GetString(), Does.StartWith("load_"));
            Assert.That((root.GetProperty("batch").GetInt32(), root.GetProperty("mode").GetString()), Is.EqualTo((1, "recreate")));
            Assert.That(root.GetProperty("rows").GetProperty("RAW_GAME_EVENTS").GetProperty("inserted").GetInt64(), Is.EqualTo(23206));
        }

        Assert.That(CliRunner.Run(["load", "--data", TestDatasets.Small, "--result-json", json, .. target.CliArgs]).ExitCode, Is.Zero);
        using (var document = JsonDocument.Parse(File.ReadAllText(json)))
            Assert.That(document.RootElement.GetProperty("status").GetString(), Is.EqualTo("up to date"));
    }

    [Test]
    public void A_result_file_that_is_a_folder_is_refused_before_the_work()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run(["validate", "--data", TestDatasets.Small, "--result-json", folder.Path]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.ErrorLines.Single(), Does.Contain("is a folder"));
        Assert.That(result.StdOut, Does.Not.Contain("rows read"));
    }
}
