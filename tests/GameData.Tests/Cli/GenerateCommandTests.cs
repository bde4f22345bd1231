namespace GameData.Tests.Cli;

/// <summary>
/// <c>gamedata generate</c> as a user runs it. Every bad input gets exit code 2, exactly one line on
/// stderr, and leaves the previous dataset in the output folder exactly as it was.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class GenerateCommandTests
{
    [TestCase("--end", "2011-01-01", "is before the start date, the default start date 2011-01-13", TestName = "End date before start date")]
    [TestCase("--start", "2011-13-01", "not a date", TestName = "Unparsable start date")]
    [TestCase("--end", "12/02/2011", "not a date", TestName = "Unparsable end date")]
    [TestCase("--players", "0", "greater than 0", TestName = "Players zero")]
    [TestCase("--players", "-5", "greater than 0", TestName = "Players negative")]
    [TestCase("--players", "many", "not a whole number", TestName = "Players not a number")]
    [TestCase("--max-sessions", "0", "greater than 0", TestName = "Max sessions zero")]
    [TestCase("--seed", "4.2", "not an integer", TestName = "Seed not an integer")]
    [TestCase("--seed", "abc", "not an integer", TestName = "Seed not a number")]
    [TestCase("--batch", "0", "greater than 0", TestName = "Batch zero")]
    [TestCase("--batch", "-1", "greater than 0", TestName = "Batch negative")]
    public void Bad_flag_is_one_line_exit_2_and_changes_nothing(string flag, string value, string message)
    {
        using var data = PreviousDataset();
        var before = FolderSnapshot.Of(data.Path);

        string[] players = flag == "--players" ? [] : ["--players", "20"];
        var result = CliRunner.Run(["generate", .. players, $"{flag}={value}", "--out", data.Path]);

        AssertBadInput(result, message, flag);
        Assert.That(FolderSnapshot.Of(data.Path), Is.EqualTo(before));
    }

    [Test]
    public void Output_folder_that_cannot_be_written_is_one_line_exit_2()
    {
        using var data = PreviousDataset();
        var before = FolderSnapshot.Of(data.Path);
        // A regular file where a folder must go: fails even for root, unlike a permission bit.
        var blocked = Path.Combine(data.File("raw_players.csv"), "out");

        var result = CliRunner.Run(["generate", "--players", "20", "--out", blocked]);

        AssertBadInput(result, "cannot write to the output folder", null);
        Assert.That(FolderSnapshot.Of(data.Path), Is.EqualTo(before));
    }

    [Test]
    public void Bad_environment_variable_names_the_variable_and_changes_nothing()
    {
        using var data = PreviousDataset();
        var before = FolderSnapshot.Of(data.Path);

        var result = CliRunner.Run(["generate", "--out", data.Path], new Dictionary<string, string?> { ["N_PLAYERS"] = "lots" });

        AssertBadInput(result, "N_PLAYERS='lots' (from environment)", null);
        Assert.That(FolderSnapshot.Of(data.Path), Is.EqualTo(before));
    }

    [Test]
    public void Bad_value_in_the_env_file_names_the_file()
    {
        using var data = PreviousDataset();
        var envFile = data.File("settings.env");
        File.WriteAllText(envFile, "# course settings\nEVENT_DATE_START=yesterday\n");

        var result = CliRunner.Run(["generate", "--out", data.Path, "--env-file", envFile]);

        AssertBadInput(result, "EVENT_DATE_START='yesterday' (from settings.env)", null);
    }

    [Test]
    public void Unknown_flag_is_one_line_exit_2()
    {
        var result = CliRunner.Run(["generate", "--playerz", "10"]);
        AssertBadInput(result, "--playerz", null);
    }

    [Test]
    public void Flags_override_environment_which_overrides_the_env_file()
    {
        using var data = PreviousDataset();
        var envFile = data.File("settings.env");
        File.WriteAllText(envFile, "N_PLAYERS=7\nGAME_DATA_SEED=1\nLOAD_BATCH_ID=3\n");

        var result = CliRunner.Run(["generate", "--out", data.Path, "--env-file", envFile, "--players", "5"],
            new Dictionary<string, string?> { ["GAME_DATA_SEED"] = "9" });

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        var manifest = GameData.Generation.DatasetManifest.Read(data.File("manifest.json"));
        Assert.That((manifest.Settings.Players, manifest.Settings.Seed, manifest.Settings.Batch), Is.EqualTo((5, "9", 3)));
        Assert.That(File.ReadLines(data.File("raw_players.csv")).ElementAt(1), Does.StartWith("player_3_1,"));
    }

    [Test]
    public void Help_lists_every_setting_with_its_environment_name()
    {
        var result = CliRunner.Run(["generate", "--help"]);
        Assert.That(result.ExitCode, Is.Zero);
        foreach (var text in new[] { "--players", "N_PLAYERS", "--max-sessions", "--game-version", "--seed", "--batch", "--start", "--end", "--out" })
            Assert.That(result.StdOut, Does.Contain(text));
    }

    [Test]
    public void Success_in_CI_logs_plain_progress_lines_and_a_summary()
    {
        using var data = new TempFolder();
        var result = CliRunner.Run(["generate", "--players", "50", "--out", data.Path]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("generate: 100 %").And.Contain("Wrote 50 players"));
        Assert.That(result.StdOut, Does.Not.Contain("\u001b["), "no terminal escape codes in CI logs");
        Assert.That(Directory.GetFiles(data.Path).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "raw_players.csv", "raw_sessions.csv", "raw_game_events.csv", "manifest.json" }));
    }

    private static TempFolder PreviousDataset()
    {
        var folder = new TempFolder();
        GameData.Generation.DatasetGenerator.Generate(GameData.Generation.GenerationSettings.Defaults with { Players = 10 }, folder.Path);
        return folder;
    }

    private static void AssertBadInput(CliResult result, string message, string? flag)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), $"stdout: {result.StdOut}\nstderr: {result.StdErr}");
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.StartWith("error: ").And.Contain(message));
        if (flag is not null) Assert.That(result.ErrorLines[0], Does.Contain(flag));
    }
}
