using System.Diagnostics;
using System.Text;
using GameData.Generation;
using GameData.Tests.Loading;

namespace GameData.Tests.Build;

/// <summary>
/// <c>./build.sh</c> as people and CI run it: every argument passed on or refused, secrets only in the child's
/// environment, paths from the caller's folder, dry runs that change nothing, exit codes and signals passed
/// through. The cases run side by side in one shared copy of the repository, whose published CLI and Cake script
/// cache they only read.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class BuildScriptTests
{
    // The shared copy of the repository (never the working tree): its CLI is up to date, so no test publishes it.
    private static string Root => RepositoryCopy.Shared;

    [Test]
    public void A_connection_string_reaches_the_CLI_through_its_environment_never_its_command_line()
    {
        PostgresTestServer.Require();
        var secret = "s3cret-" + Guid.NewGuid().ToString("N")[..10];
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString) { Password = secret }.ConnectionString;
        var seen = new List<string>();

        var result = Build(["--target=MigrateRaw", "--warehouse=postgres", $"--postgres={connection}", "--schema=cake_secret", "--players=10",
            $"--out={Temp()}", "--verbosity=diagnostic"], watch: seen);

        Assert.That(result.ExitCode, Is.EqualTo(1), "PostgreSQL refused the (wrong) password: the CLI's exit code");
        Assert.That(result.Output, Does.Contain("PostgreSQL rejected the password"));
        Assert.That(result.Output, Does.Not.Contain(secret), "not in Cake's diagnostic log nor the CLI's output");
        Assert.That(seen.Where(c => c.Contains(" migrate", StringComparison.Ordinal)), Is.Not.Empty, "the migrate child was seen running");
        Assert.That(seen.Where(c => c.Contains(secret, StringComparison.Ordinal)), Is.Empty, "no gamedata process had it on its command line");
    }

    [Test]
    public void A_dry_run_changes_nothing_and_exits_0()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = 10 }, data);
        var before = FolderSnapshot.Of(folder.Path);

        var result = Build(["--target=Load", "--dry-run", "--players=50", $"--out={data}", $"--duckdb={folder.File("new.duckdb")}"]);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("Would generate 50 players").And.Contain("would apply 0001_raw_tables.sql").And.Contain("Would load batch 1"));
        Assert.That(FolderSnapshot.Of(folder.Path), Is.EqualTo(before), "no file written, not even the DuckDB file");
    }

    // Which words mean true is the CLI's to say (ArgumentSyntaxTests.Every_boolean_word_for_true_makes_a_dry_run): here, that
    // the build asks it and acts on the answer.
    [Test]
    public void A_dry_run_in_a_boolean_word_is_a_dry_run()
    {
        const string word = "ON";
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = 10 }, data);
        var before = FolderSnapshot.Of(folder.Path);

        var result = Build(["--target=Load", "--mode=recreate", $"--dry-run={word}", "--players=50", $"--out={data}", $"--duckdb={folder.File("new.duckdb")}"]);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("Would generate 50 players").And.Contain("Would load batch 1"));
        Assert.That(FolderSnapshot.Of(folder.Path), Is.EqualTo(before), "nothing generated, migrated or loaded");
    }

    // What each value means is the CLI's to say (ArgsCommandTests.What_the_build_cannot_use_is_one_error_line_and_exit_2, a
    // switch's value that is not a boolean word included): here, the shapes Cake or build.sh see first.
    [TestCase("--out=", "--out '' is empty; give a value, or leave it out for the default", TestName = "An empty value after the equals sign")]
    [TestCase("--out --dry-run", "--out needs a value", TestName = "An option followed by another option")]
    public void Values_it_cannot_read_are_refused_with_exit_2_before_anything_runs(string arguments, string message)
    {
        var result = Build(["--target=Generate", "--players=10", .. arguments.Split(' ')]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Output, Does.Contain($"error: {message}"));
        Assert.That(result.Output, Does.Not.Contain("gamedata generate"), "nothing ran");
    }

    [Test]
    public void An_empty_value_given_as_its_own_argument_is_refused_as_after_the_equals_sign()
    {
        var result = Build(["--target=Generate", "--players=10", "--out", ""]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Output, Does.Contain("error: --out '' is empty; give a value, or leave it out for the default"));
        Assert.That(result.Output, Does.Not.Contain("gamedata generate"), "nothing ran (it generated into the caller's folder)");
    }

    [Test]
    public void Paths_are_resolved_against_the_folder_the_build_was_run_from_and_a_dash_is_standard_output()
    {
        using var caller = new TempFolder();
        var result = Build(["--target=ValidateCsv", "--out=mydata", "--players=20", "--result-json=-"], workingDirectory: caller.Path);
        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(File.Exists(caller.File("mydata/manifest.json")), Is.True, "generated into the caller's mydata");
        var validate = result.Output.Split('\n').Single(l => l.Contains("gamedata validate", StringComparison.Ordinal));
        Assert.That(validate, Does.Contain($"--data {caller.File("mydata")} "), "and validated there");
        Assert.That(Directory.Exists(Path.Combine(Root, "build", "mydata")), Is.False);
        // A dash for an output file is standard output, not a file in the caller's folder.
        Assert.That(validate, Does.Contain("--result-json - "));
        Assert.That(result.Output, Does.Contain("\"status\": \"valid\""));
        Assert.That(File.Exists(caller.File("-")), Is.False);
    }

    [Test]
    public void Anomalies_take_a_preset_by_name_and_a_spec_file_from_the_callers_folder()
    {
        using var caller = new TempFolder();
        var preset = Build(["--target=Generate", "--out=preset", "--players=50", "--anomalies=light"], workingDirectory: caller.Path);
        Assert.That(preset.ExitCode, Is.Zero, preset.Output);
        Assert.That(preset.Output, Does.Contain("--anomalies light"), "a preset's name is passed as it is");
        Assert.That(DatasetManifest.Read(caller.File("preset/manifest.json")).Settings.Anomalies, Is.EqualTo("light"));

        File.WriteAllText(caller.File("spec.json"), """{"duplicate-event": 2}""");
        var file = Build(["--target=Generate", "--out=fromfile", "--players=50", "--anomalies=spec.json"], workingDirectory: caller.Path);
        Assert.That(file.ExitCode, Is.Zero, file.Output);
        Assert.That(DatasetManifest.Read(caller.File("fromfile/manifest.json")).Settings.Anomalies, Is.EqualTo("duplicate-event=2"));
    }

    [Test]
    public void Every_CLI_setting_is_passed_on()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("course.env"), "N_PLAYERS=33\n");
        var result = Build(["--target=MigrateRaw", $"--env-file={folder.File("course.env")}", "--lock-timeout=7", $"--out={folder.File("data")}",
            $"--duckdb={folder.File("w.duckdb")}"]);
        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(DatasetManifest.Read(folder.File("data/manifest.json")).Settings.Players, Is.EqualTo(33), "--env-file reached the CLI");
        Assert.That(result.Output, Does.Contain("gamedata migrate --duckdb").And.Contain("--lock-timeout 7"));
    }

    // A misspelt argument's "did you mean" is ArgsCommandTests'; a target's needs the build's own list of targets.
    [TestCase("--target=Lod", "there is no target 'Lod'; did you mean --target=Load?", TestName = "A misspelt target lists the targets")]
    [TestCase("--players", "--players needs a value", TestName = "An argument without its value")]
    public void Arguments_it_cannot_use_are_refused_with_exit_2(string argument, string message)
    {
        var result = Build([argument]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Output, Does.Contain($"error: {message}"));
        Assert.That(result.Output, Does.Not.Contain("gamedata generate"), "nothing ran");
    }

    [Test]
    public void The_CLIs_exit_code_is_the_builds_2_stays_2_and_in_CI_there_are_no_colour_codes()
    {
        // A failing run: Cake colours its error lines, except in CI and redirected output.
        var result = Build(["--target=Generate", "--players=many", $"--out={Temp()}"], environment: new() { ["CI"] = "true" });
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Output, Does.Contain("error: --players 'many' is not a whole number greater than 0"));
        Assert.That(result.Output, Does.Contain("An error occurred when executing task 'Generate'"));
        Assert.That(result.Output, Does.Not.Contain("\u001b["));
    }

    [Test]
    public void Help_lists_the_targets_and_every_argument()
    {
        var result = Build(["--help"]);
        Assert.That(result.ExitCode, Is.Zero, result.Output);
        foreach (var text in new[] { "Generate", "ValidateCsv", "MigrateRaw", "Load", "Test", "--players", "--lock-timeout", "--env-file", "--postgres", "--dry-run" })
            Assert.That(result.Output, Does.Contain(text));
    }

    [Test]
    public void SIGTERM_to_the_build_stops_the_running_command_too()
    {
        using var folder = new TempFolder();
        var result = Build(["--target=Generate", "--players=400000", $"--out={folder.Path}"],
            whileRunning: build =>
            {
                WaitFor(() => Directory.GetFiles(folder.Path, ".*.tmp").Length > 0);
                using var kill = Process.Start("kill", ["-TERM", build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                kill.WaitForExit();
            });

        Assert.That(result.ExitCode, Is.EqualTo(143), result.Output);
        Assert.That(Running().Where(c => c.Contains(folder.Path, StringComparison.Ordinal)), Is.Empty, "no gamedata process left behind");
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty, "it cleaned up on the way out");
    }

    [Test]
    public void Ctrl_C_at_a_terminal_stops_the_command_and_the_build_with_130()
    {
        using var folder = new TempFolder();
        using var process = PseudoTerminal.Start(
            $"{PseudoTerminal.Quote(["bash", Path.Combine(Root, "build.sh"), "--target=Generate", "--players=400000", $"--out={folder.Path}"])}; echo build-exit=$?");
        var output = process.StandardOutput.ReadToEndAsync();
        WaitFor(() => Directory.GetFiles(folder.Path, ".*.tmp").Length > 0);
        process.StandardInput.Write('\u0003');
        process.StandardInput.Flush();
        Assert.That(process.WaitForExit(60_000), Is.True, "it stopped");

        Assert.That(output.Result, Does.Contain("build-exit=130"));
        Assert.That(output.Result, Does.Contain("cancelled; nothing was changed"));
        Assert.That(Running().Where(c => c.Contains(folder.Path, StringComparison.Ordinal)), Is.Empty, "no gamedata process left behind");
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty, "it cleaned up on the way out");
    }

    [Test]
    public void The_chain_ends_with_dbt_and_stops_with_dbts_exit_code()
    {
        using var folder = new TempFolder();
        var project = GameData.Tests.Dbt.DbtCommandTests.Project(folder);
        var dbt = new GameData.Tests.Dbt.FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        string[] chain = ["--players=20", $"--out={folder.File("data")}", $"--duckdb={folder.File("w.duckdb")}"];

        var failing = Build([.. chain, $"--dbt-project={project}"], environment: new() { ["FAKE_DBT_EXIT"] = "1" });

        Assert.That(failing.ExitCode, Is.EqualTo(1), failing.Output);
        Assert.That(dbt.Calls.Single().Args[0], Is.EqualTo("build"));
        Assert.That(dbt.Calls.Single().Value("--vars"), Is.EqualTo("{\"raw_schema\":\"raw\"}"));
        Assert.That(failing.Output, Does.Not.Contain("Report: "), "the chain stopped at dbt");

        var skipped = Build(chain);
        Assert.That(skipped.ExitCode, Is.Zero, skipped.Output);
        Assert.That(skipped.Output, Does.Contain("OptionalDbtBuild skipped: no dbt project named").And.Contain("Report: "));
    }

    [Test]
    public void BuildCli_is_skipped_while_up_to_date_and_publishes_again_after_a_migration_or_source_edit()
    {
        // The CLI the chain runs carries its own copy of the migrations (the Test target published it).
        Assert.That(File.ReadAllText(Path.Combine(Root, "artifacts", "cli", "migrations", "duckdb", "0001_raw_tables.sql")),
            Is.EqualTo(File.ReadAllText(Path.Combine(Root, "migrations", "duckdb", "0001_raw_tables.sql"))), "the migrations copied beside it");

        // Edits of its own: a private copy (its CLI up to date, as the shared one's). Dry runs say why they would
        // publish without publishing, so the test publishes nothing.
        var copy = RepositoryCopy.Private();
        string[] generate = ["--target=Generate", "--players=10", $"--out={Temp()}", "--dry-run"];
        Assert.That(Build(generate, repository: copy).Output, Does.Contain("gamedata is up to date"));
        Assert.That(Build(["--target=BuildCli", "--dry-run"], repository: copy).Output,
            Does.Contain("Would publish gamedata again (--target=BuildCli)"), "--target=BuildCli forces it");

        // The CLI runs its own copy of the migrations, so a migration edit publishes it again.
        var migration = Path.Combine(copy, "migrations", "duckdb", "0001_raw_tables.sql");
        File.SetLastWriteTimeUtc(migration, DateTime.UtcNow);
        Assert.That(Build(generate, repository: copy).Output,
            Does.Contain("Would publish gamedata again (migrations/duckdb/0001_raw_tables.sql is newer than it)"));

        // A source edit too.
        File.SetLastWriteTimeUtc(migration, DateTime.UtcNow.AddHours(-1));
        File.AppendAllText(Path.Combine(copy, "src", "GameData.Cli", "Program.cs"), "// edited by a test\n");
        Assert.That(Build(generate, repository: copy).Output, Does.Contain("Would publish gamedata again (src/GameData.Cli/Program.cs is newer than it)"));
    }

    private sealed record BuildResult(int ExitCode, string Output);

    /// <summary>
    /// Runs ./build.sh (stdout and stderr together). <paramref name="watch"/> collects the command lines of the
    /// gamedata processes seen meanwhile; <paramref name="whileRunning"/> gets the build's process.
    /// </summary>
    private static BuildResult Build(string[] args, string? workingDirectory = null, Dictionary<string, string?>? environment = null,
        List<string>? watch = null, Action<Process>? whileRunning = null, string? repository = null)
    {
        repository ??= Root;
        // The test host starts children with SIGINT ignored (as shells do for background jobs): restore it.
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "bash", Path.Combine(repository, "build.sh"), .. args])
        {
            WorkingDirectory = workingDirectory ?? repository, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var key in new[] { "N_PLAYERS", "GAME_WAREHOUSE", "GAME_SCHEMA", "GAME_DUCKDB_PATH", "GAME_POSTGRES", "PGPASSWORD", "NO_COLOR", "CI" })
            start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new StringBuilder();
        var lines = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        var watcher = Task.Run(() =>
        {
            while (!process.HasExited)
            {
                if (watch is not null) lock (watch) watch.AddRange(Running());
                Thread.Sleep(10);
            }
        });
        whileRunning?.Invoke(process);
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        lines.Wait();
        watcher.Wait();
        return new BuildResult(process.ExitCode, output.ToString());
    }

    private static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
            lock (output) output.AppendLine(line);
    }

    /// <summary>The command lines of the gamedata processes running now.</summary>
    private static List<string> Running() =>
        Directory.EnumerateDirectories("/proc").Select(p => Path.Combine(p, "cmdline")).Select(ReadCommandLine)
            .Where(c => c.Contains("gamedata.dll", StringComparison.Ordinal)).ToList();

    private static string ReadCommandLine(string path)
    {
        try { return File.ReadAllText(path).Replace('\0', ' '); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    private static void WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "waited too long");
            Thread.Sleep(20);
        }
    }

    private static string Temp() => TestRunFolders.Of(Guid.NewGuid().ToString("N")[..10]);
}
