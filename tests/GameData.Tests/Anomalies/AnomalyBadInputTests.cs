using GameData.Generation;
using GameData.Tests.Cli;

namespace GameData.Tests.Anomalies;

/// <summary>--anomalies refuses what it cannot honour with one line and exit 2, before writing anything.</summary>
[Parallelizable(ParallelScope.All)]
public class AnomalyBadInputTests
{
    [TestCase("corse", null, "no preset of that name (light, course) and no such file; did you mean 'course'?", TestName = "Unknown preset")]
    [TestCase("spec.json", """{"duplicate-events": 2}""", "unknown anomaly kind 'duplicate-events' (did you mean 'duplicate-event'?)", TestName = "Unknown kind")]
    [TestCase("spec.json", """{"duplicate-event": -1}""", "'duplicate-event' must be a whole number of 0 or more, not -1", TestName = "Negative count")]
    [TestCase("spec.json", """{"duplicate-event": 1.5}""", "'duplicate-event' must be a whole number of 0 or more, not 1.5", TestName = "Fractional count")]
    [TestCase("spec.json", "duplicate-event: 2", "is not JSON", TestName = "Not JSON")]
    [TestCase("spec.json", """["duplicate-event"]""", "expected a JSON object of kind -> count", TestName = "Not an object")]
    [TestCase("spec.json", """{"duplicate-event": 0}""", "asks for no defects", TestName = "No defects")]
    [TestCase("spec.json", """{"missing-country": 8, "test-account": 5}""", "asks for 13 defects in raw_players.csv, which has 10 rows", TestName = "More defects than rows")]
    public void Refused_with_one_line_and_nothing_written(string value, string? specJson, string message)
    {
        using var folder = new TempFolder();
        if (specJson is not null) File.WriteAllText(folder.File(value), specJson);
        var result = CliRunner.Run(["generate", "--players", "10", "--out", folder.File("data"), "--anomalies", value], workingDirectory: folder.Path);
        BadInputTests.AssertBadInput(result, message);
        Assert.That(Directory.Exists(folder.File("data")) && Directory.EnumerateFileSystemEntries(folder.File("data")).Any(), Is.False, "nothing written");
    }

    [Test]
    public void An_existing_dataset_is_left_as_it_was_when_the_spec_is_refused()
    {
        using var copy = Loading.TestDatasets.CopyOf(AnomalyDatasetTests.Dataset("light"));
        using var spec = new TempFolder();
        File.WriteAllText(spec.File("spec.json"), """{"duplicate-event": 99999999}""");
        var before = FolderSnapshot.Of(copy.Path);
        var result = CliRunner.Run(["generate", "--players", "300", "--out", copy.Path, "--anomalies", spec.File("spec.json")]);
        BadInputTests.AssertBadInput(result, "asks for 99,999,999 defects in raw_game_events.csv");
        Assert.That(FolderSnapshot.Of(copy.Path), Is.EqualTo(before));
    }

    [Test]
    public void The_cli_generates_a_preset_says_so_and_is_up_to_date_the_second_time()
    {
        using var folder = new TempFolder();
        string[] args = ["generate", "--players", "300", "--out", folder.Path, "--anomalies", "course"];
        var first = CliRunner.Run(args);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.StdErr);
        Assert.That(first.StdOut, Does.Contain("defects (course)").And.Contain(AnomalyList.FileName));
        foreach (var file in DatasetFiles.All.Append(AnomalyList.FileName))
            Assert.That(Generation.ReferenceParityTests.Sha256Of(Path.Combine(folder.Path, file)),
                Is.EqualTo(Generation.ReferenceParityTests.Sha256Of(Path.Combine(AnomalyDatasetTests.Dataset("course"), file))), file);
        var second = CliRunner.Run(args);
        Assert.That(second.StdOut, Does.Contain("Up to date"));

        var validate = CliRunner.Run(["validate", "--data", folder.Path]);
        Assert.That(validate.ExitCode, Is.EqualTo(0), validate.StdOut + validate.StdErr);
        Assert.That(validate.StdOut, Does.Contain("expected").And.Contain("unexpected").And.Contain("every declared defect found"));
    }
}
