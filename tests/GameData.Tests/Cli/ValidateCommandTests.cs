using System.Text.Json;
using GameData.Generation;
using GameData.Tests.Validation;

namespace GameData.Tests.Cli;

/// <summary><c>gamedata validate</c>: exit codes 0 = valid, 1 = invalid, 2 = could not run; the summary and the JSON report.</summary>
[Parallelizable(ParallelScope.All)]
public class ValidateCommandTests
{
    [TestCase(200, 1, "2011-01-13", "2011-02-12", TestName = "Settings of the small fixture validate clean")]
    [TestCase(300, 2, "2011-02-13", "2011-03-15", TestName = "Settings of the batch2 fixture validate clean")]
    public void Generated_files_validate_clean_even_under_strict(int players, int batch, string start, string end)
    {
        using var data = new TempFolder();
        var generated = CliRunner.Run(["generate", "--players", $"{players}", "--batch", $"{batch}", "--start", start, "--end", end, "--out", data.Path]);
        Assert.That(generated.ExitCode, Is.Zero, generated.StdErr);

        var result = CliRunner.Run(["validate", "--data", data.Path, "--strict", "--report", data.File("report.json")]);

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        Assert.That(result.StdOut, Does.Contain("no violations").And.Contain("Valid."));
        using var json = JsonDocument.Parse(File.ReadAllText(data.File("report.json")));
        Assert.That(json.RootElement.GetProperty("valid").GetBoolean(), Is.True);
        Assert.That(json.RootElement.GetProperty("rows_read").GetProperty("raw_players.csv").GetInt64(), Is.EqualTo(players));
    }

    [Test]
    public void Invalid_files_exit_1_with_a_summary_examples_and_a_full_report()
    {
        using var data = new BrokenDataset(keepManifest: true);
        data.WriteLines(DatasetFiles.Events, data.Lines(DatasetFiles.Events).Select((l, i) => i == 0 ? l : l.Replace(",1.0.3,", ",1.0.3,x,")));
        var rows = data.Lines(DatasetFiles.Events).Length - 1;
        var report = data.PathOf("report.json");

        var result = CliRunner.Run(["validate", "--data", data.Folder, "--report", report]);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.StartWith("error: the dataset is invalid"));
        Assert.That(result.StdOut, Does.Match(@"field-count\s+error\s+" + rows.ToString("N0")));
        Assert.That(result.StdOut, Does.Contain("raw_game_events.csv:2: field-count: 8 fields, expected 7"));
        Assert.That(result.StdOut.Split('\n').Count(l => l.Contains(": field-count: ")), Is.EqualTo(20), "at most 20 examples per rule");

        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var rule = json.RootElement.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "field-count");
        Assert.That(rule.GetProperty("count").GetInt64(), Is.EqualTo(rows));
        Assert.That(rule.GetProperty("examples").GetArrayLength(), Is.EqualTo(20));
        Assert.That(json.RootElement.GetProperty("valid").GetBoolean(), Is.False);
    }

    [Test]
    public void Warnings_pass_but_fail_under_strict()
    {
        using var data = new BrokenDataset();
        data.WriteBytes(DatasetFiles.Players, [0xEF, 0xBB, 0xBF, .. data.Bytes(DatasetFiles.Players)]);
        Assert.That(CliRunner.Run(["validate", "--data", data.Folder, "--start", "2011-01-13", "--end", "2011-02-12"]).ExitCode, Is.Zero);
        Assert.That(CliRunner.Run(["validate", "--data", data.Folder, "--strict", "--start", "2011-01-13", "--end", "2011-02-12"]).ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void Window_from_start_and_end_when_there_is_no_manifest()
    {
        using var data = new BrokenDataset();
        var narrow = CliRunner.Run(["validate", "--data", data.Folder, "--start", "2011-01-13", "--end", "2011-01-14"]);
        Assert.That(narrow.ExitCode, Is.EqualTo(1));
        Assert.That(narrow.StdOut, Does.Contain("outside-window"));
        var none = CliRunner.Run(["validate", "--data", data.Folder]);
        Assert.That(none.ExitCode, Is.Zero);
        Assert.That(none.StdOut, Does.Contain("note: no event window known"));
    }

    [Test]
    public void No_such_folder_exits_2()
    {
        var result = CliRunner.Run(["validate", "--data", "/nonexistent/gamedata"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { "error: no such data folder: '/nonexistent/gamedata'" }));
    }

    [Test]
    public void Only_one_of_start_and_end_exits_2()
    {
        using var data = new BrokenDataset();
        var result = CliRunner.Run(["validate", "--data", data.Folder, "--start", "2011-01-13"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
    }
}
