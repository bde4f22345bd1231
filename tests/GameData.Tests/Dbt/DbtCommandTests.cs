using GameData.Loading;
using GameData.Tests.Loading;
using GameData.Tests.Snowflake;
using GameData.Warehouses.DuckDb;
using YamlDotNet.RepresentationModel;

namespace GameData.Tests.Dbt;

/// <summary>
/// <c>gamedata dbt</c> (OptionalDbtBuild) with a stand-in dbt: the exact command lines on each warehouse,
/// <c>deps</c> only with a packages file, the profile it writes (YAML, the project's profile name, the course's
/// targets, no secret value in it), the executable lookup order, dbt's exit code passed on, and bad input.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class DbtCommandTests
{
    private const string Password = "pg-Pa55word-9f1";
    private const string Token = "pat-Token-77e2";
    private const string Passphrase = "key-Passphrase-3c8";

    [Test]
    public void Without_a_project_it_is_skipped_with_one_line_saying_how_to_name_one()
    {
        var result = CliRunner.Run(["dbt"]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("OptionalDbtBuild skipped: no dbt project named").And.Contain("--dbt-project").And.Contain("DBT_PROJECT_DIR"));
    }

    [Test]
    public void DuckDB_the_command_lines_the_profile_and_raw_schema()
    {
        using var folder = new TempFolder();
        var project = Project(folder, profile: "game_analytics");
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        using var target = Loaded(new DuckDbTarget());

        var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs]);

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        var call = dbt.Calls.Single();
        var profilesDir = call.Value("--profiles-dir")!;
        Assert.That(call.Args, Is.EqualTo(new[] { "build", "--project-dir", project, "--profiles-dir", profilesDir, "--target", "dev", "--vars", "{\"raw_schema\":\"raw\"}" }));
        Assert.That(call.WorkingDirectory, Is.EqualTo(project));
        Assert.That(profilesDir, Does.Not.Contain(".dbt"), "not the user's ~/.dbt");
        Assert.That(Directory.Exists(profilesDir), Is.False, "the private folder is removed afterwards");
        var output = Output(call.Profiles!, "game_analytics", "dev");
        Assert.That((output["type"], output["path"], output["schema"]), Is.EqualTo(("duckdb", target.Settings.DuckDbPath, "dev")));
        Assert.That(Output(call.Profiles!, "game_analytics", "ci")["schema"], Is.EqualTo("ci"));
        Assert.That(Target(call.Profiles!, "game_analytics"), Is.EqualTo("dev"));
    }

    [Test]
    public void DuckDB_dbt_waits_for_a_load_holding_the_file_so_a_loads_swap_cannot_drop_its_models()
    {
        using var folder = new TempFolder();
        var project = Project(folder, profile: "game_analytics");
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        using var target = Loaded(new DuckDbTarget());
        var load = GameData.Warehouses.DuckDb.DuckDbFile.Lock(target.Settings.DuckDbPath, _ => { }, TimeSpan.Zero);

        // dbt marks whether it ran before or after the file below exists, which the test makes as the load lets go.
        var released = folder.File("released");
        using var process = CliRunner.Start(["dbt", "--dbt-project", project, .. target.CliArgs], new Dictionary<string, string?> { ["FAKE_DBT_MARK"] = released });
        var output = new System.Text.StringBuilder();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            output.AppendLine(line);
            if (line.Contains("is in use by another gamedata process", StringComparison.Ordinal)) break;
        }
        File.WriteAllText(released, "");
        load.Dispose();
        output.Append(process.StandardOutput.ReadToEnd());

        Assert.That(process.WaitForExit(60_000), Is.True);
        Assert.That(process.ExitCode, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Does.Contain("is in use by another gamedata process"));
        Assert.That(dbt.Calls.Select(c => c.Mark), Is.EqualTo(new[] { "after" }), "dbt ran once, after the load let go of the file");
    }

    [Test]
    public void PostgreSQL_the_password_reaches_dbt_in_its_environment_and_never_the_file()
    {
        PostgresTestServer.Require();
        using var folder = new TempFolder();
        var project = Project(folder, profile: "my_project", packages: true);
        var dbt = new FakeDbt(Path.Combine(project, ".venv", "bin", "dbt"), folder.File("calls"));
        using var target = Loaded(new PostgresTarget());
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(target.Settings.PostgresConnectionString) { Password = Password, SslMode = Npgsql.SslMode.Prefer };

        var result = CliRunner.Run(["dbt", "--dbt-project", project, "--warehouse", "postgres", "--schema", target.Settings.Schema,
            "--dbt-target", "ci"], new Dictionary<string, string?> { ["GAME_POSTGRES"] = connection.ConnectionString });

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        var calls = dbt.Calls;
        Assert.That(calls.Select(c => c.Args[0]), Is.EqualTo(new[] { "deps", "build" }), "deps first: the project has packages.yml");
        Assert.That(calls[0].Args, Is.EqualTo(new[] { "deps", "--project-dir", project, "--profiles-dir", calls[0].Value("--profiles-dir"), "--target", "ci" }));
        Assert.That(calls[1].Args[^4..], Is.EqualTo(new[] { "--target", "ci", "--vars", $"{{\"raw_schema\":\"{target.Settings.Schema}\"}}" }));
        var output = Output(calls[1].Profiles!, "my_project", "ci");
        Assert.That((output["type"], output["host"], output["port"], output["user"], output["dbname"], output["schema"], output["sslmode"]),
            Is.EqualTo(("postgres", "localhost", "5432", "gamedata_test", "gamedata_test", "ci", "prefer")));
        Assert.That(output["password"], Is.EqualTo("{{ env_var('GAMEDATA_DBT_PASSWORD') }}"));
        Assert.That(output["search_path"], Does.Contain(target.Settings.Schema), "where the Snowflake functions may live");
        Assert.That(calls[1].Secrets[0], Is.EqualTo(Password), "given to dbt in its environment");
        Assert.That(calls[1].EnvironmentNames, Does.Contain("GAMEDATA_DBT_PASSWORD"));
        Assert.That(calls.Select(c => c.Profiles), Has.All.Not.Contain(Password));
        Assert.That(result.StdOut + result.StdErr, Does.Not.Contain(Password));
    }

    [TestCase("key pair", TestName = "Snowflake with a key pair: private_key_path, the passphrase from the environment")]
    [TestCase("token", TestName = "Snowflake with a programmatic access token: the password, for dbt-snowflake before 1.12")]
    [TestCase("token 1.12", TestName = "Snowflake with a programmatic access token: its authenticator, for dbt-snowflake 1.12")]
    [TestCase("oauth", TestName = "Snowflake with an OAuth token")]
    public void Snowflake_profiles_reference_their_secrets(string credential)
    {
        using var kit = new SnowflakeTestKit();
        using var folder = new TempFolder();
        var project = Project(folder, profile: "game_analytics");
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        if (credential == "token 1.12") Directory.CreateDirectory(Path.Combine(project, "venv", "lib", "python3.12", "site-packages", "dbt_snowflake-1.12.0.dist-info"));
        var environment = kit.Values.ToDictionary(v => v.Key, v => v.Value);
        environment["SNOWFLAKE_ROLE"] = "LOADER";
        if (credential == "key pair") environment["SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"] = Passphrase;
        else
        {
            environment.Remove("SNOWFLAKE_PRIVATE_KEY_PATH");
            environment[credential == "oauth" ? "SNOWFLAKE_OAUTH_TOKEN" : "SNOWFLAKE_TOKEN"] = Token;
        }

        var result = CliRunner.Run(["dbt", "--dbt-project", project, "--dbt-schema", "Student_Dev"], environment);

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        var call = dbt.Calls.Single();
        var output = Output(call.Profiles!, "game_analytics", "dev");
        Assert.That((output["type"], output["account"], output["user"], output["role"], output["warehouse"], output["database"], output["schema"]),
            Is.EqualTo(("snowflake", "myorg-myaccount", "course_loader", "LOADER", "COMPUTE_WH", "GAME_ANALYTICS", "STUDENT_DEV")));
        Assert.That(Output(call.Profiles!, "game_analytics", "ci")["schema"], Is.EqualTo("CI"));
        Assert.That(call.Value("--vars"), Is.EqualTo("{\"raw_schema\":\"RAW\"}"), "as Snowflake stores it");
        if (credential == "key pair")
        {
            Assert.That(output["private_key_path"], Is.EqualTo(kit.KeyPath));
            Assert.That(output["private_key_passphrase"], Is.EqualTo("{{ env_var('GAMEDATA_DBT_PRIVATE_KEY_PASSPHRASE') }}"));
            Assert.That(call.Secrets[2], Is.EqualTo(Passphrase));
        }
        else if (credential == "token")
        {
            Assert.That(output["password"], Is.EqualTo("{{ env_var('GAMEDATA_DBT_PASSWORD') }}"), "Snowflake takes a PAT as the password");
            Assert.That(output.Keys, Does.Not.Contain("authenticator").And.Not.Contain("token"));
            Assert.That(call.Secrets[0], Is.EqualTo(Token));
        }
        else
        {
            Assert.That(output["authenticator"], Is.EqualTo(credential == "oauth" ? "oauth" : "programmatic_access_token"));
            Assert.That(output["token"], Is.EqualTo("{{ env_var('GAMEDATA_DBT_TOKEN') }}"));
            Assert.That(call.Secrets[1], Is.EqualTo(Token));
        }
        Assert.That(call.Profiles, Does.Not.Contain(Passphrase).And.Not.Contain(Token).And.Not.Contain("PRIVATE KEY"));
        Assert.That(result.StdOut + result.StdErr, Does.Not.Contain(Passphrase).And.Not.Contain(Token));
    }

    [Test]
    public void The_executable_is_the_one_named_else_venv_else_dot_venv_else_PATH()
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        using var target = Loaded(new DuckDbTarget());
        var calls = folder.File("calls");
        var onPath = new FakeDbt(folder.File("bin/dbt"), calls, "path");
        var dotVenv = new FakeDbt(Path.Combine(project, ".venv", "bin", "dbt"), calls, ".venv");
        var venv = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), calls, "venv");
        var named = new FakeDbt(folder.File("elsewhere/dbt"), calls, "named");
        var path = new Dictionary<string, string?> { ["PATH"] = $"{folder.File("bin")}:{Environment.GetEnvironmentVariable("PATH")}" };

        string Used(params string[] extra)
        {
            var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs, .. extra], path);
            Assert.That(result.ExitCode, Is.Zero, result.StdErr);
            return onPath.Calls[^1].Name;
        }

        Assert.That(Used("--dbt-exe", named.Path), Is.EqualTo("named"));
        Assert.That(Used(), Is.EqualTo("venv"));
        File.Delete(venv.Path);
        Assert.That(Used(), Is.EqualTo(".venv"));
        File.Delete(dotVenv.Path);
        Assert.That(Used(), Is.EqualTo("path"));
    }

    [TestCase("duckdb", "dbt-duckdb 'duckdb>=1.0,<1.6'")]
    [TestCase("postgres", "dbt-postgres")]
    [TestCase("snowflake", "dbt-snowflake")]
    public void Dbt_not_found_names_the_adapter_to_install(string warehouse, string adapter)
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        using var kit = new SnowflakeTestKit();
        var environment = warehouse == "snowflake" ? kit.Values.ToDictionary(v => v.Key, v => v.Value) : new Dictionary<string, string?>();
        environment["GAME_WAREHOUSE"] = warehouse;
        environment["GAME_POSTGRES"] = "Host=localhost;Username=u;Password=p;Database=d";
        environment["PATH"] = "/usr/bin:/bin";

        var result = CliRunner.Run(["dbt", "--dbt-project", project], environment);

        AssertBadInput(result, $"pip install dbt-core {adapter}");
    }

    [Test]
    public void A_folder_without_dbt_project_yml_is_not_a_project()
    {
        using var folder = new TempFolder();
        AssertBadInput(CliRunner.Run(["dbt", "--dbt-project", folder.Path]), "has no dbt_project.yml");
    }

    [TestCase("--dbt-schema", "dev; drop", "is not a plain SQL identifier", TestName = "A dbt schema with SQL in it")]
    [TestCase("--dbt-schema", "select", "is a reserved SQL word", TestName = "A dbt schema that is a reserved word")]
    [TestCase("--dbt-target", "prod", "is not a target", TestName = "A target the profile does not have")]
    [TestCase("--dbt-command", "build; rm", "is not a dbt command", TestName = "A dbt command with more in it")]
    [TestCase("--dbt-args", "--select 'unclosed", "unclosed ' quote", TestName = "dbt arguments with an unclosed quote")]
    public void Bad_dbt_settings_are_refused_before_dbt_runs(string flag, string value, string message)
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        AssertBadInput(CliRunner.Run(["dbt", "--dbt-project", project, flag, value]), message);
        Assert.That(dbt.Calls, Is.Empty);
    }

    [Test]
    public void Dbt_args_are_passed_as_arguments_never_through_a_shell()
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        using var target = Loaded(new DuckDbTarget());
        var marker = folder.File("pwned");

        var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs, "--dbt-command", "run",
            "--dbt-args", $"--select 'stg players' --full-refresh ; touch {marker} | cat $(touch {marker}) \"a\\\"b\""]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        var args = dbt.Calls.Single().Args;
        Assert.That(args[0], Is.EqualTo("run"));
        Assert.That(args.SkipWhile(a => a != "--select"), Is.EqualTo(new[]
            { "--select", "stg players", "--full-refresh", ";", "touch", marker, "|", "cat", $"$(touch", $"{marker})", "a\"b" }));
        Assert.That(File.Exists(marker), Is.False, "nothing ran through a shell");
    }

    [Test]
    public void Vars_of_ones_own_replace_raw_schema_and_ones_own_profiles_are_used_as_they_are()
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        Directory.CreateDirectory(folder.File("mine"));
        File.WriteAllText(folder.File("mine/profiles.yml"), "game_analytics:\n  target: prod\n  outputs: {}\n");
        using var target = Loaded(new DuckDbTarget());

        var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs, "--dbt-profiles-dir", folder.File("mine"),
            "--dbt-target", "prod", "--dbt-args", "--vars '{raw_schema: other}'"]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        var call = dbt.Calls.Single();
        Assert.That(call.Value("--profiles-dir"), Is.EqualTo(folder.File("mine")));
        Assert.That(call.Profiles, Is.EqualTo("game_analytics:\n  target: prod\n  outputs: {}\n"), "their own file, untouched");
        Assert.That(call.Args.Count(a => a == "--vars"), Is.EqualTo(1));
        Assert.That(call.Value("--vars"), Is.EqualTo("{raw_schema: other}"));
    }

    [Test]
    public void Dbts_exit_code_is_passed_on_with_a_summary_of_run_results()
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        File.WriteAllText(folder.File("run_results.json"), """
            {"results": [
              {"unique_id": "model.game.stg_players", "status": "success", "message": "OK"},
              {"unique_id": "model.game.fct_sessions", "status": "error", "message": "Database Error in model fct_sessions\n  syntax error"},
              {"unique_id": "test.game.not_null_stg_players_player_id.1a2b", "status": "pass", "message": null},
              {"unique_id": "test.game.accepted_values_stg_sessions_platform.3c4d", "status": "fail", "message": "Got 3 results, configured to fail if != 0"},
              {"unique_id": "test.game.unique_stg_players_player_id.5e6f", "status": "skipped", "message": null}
            ]}
            """);
        using var target = Loaded(new DuckDbTarget());

        var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs],
            new Dictionary<string, string?> { ["FAKE_DBT_EXIT"] = "1", ["FAKE_DBT_RESULTS"] = folder.File("run_results.json") });

        Assert.That(result.ExitCode, Is.EqualTo(1), "dbt's own exit code");
        Assert.That(result.StdOut, Does.Contain("dbt: 2 models, 3 tests; 2 passed, 2 failed, 0 warned, 1 skipped"));
        Assert.That(result.StdOut, Does.Contain("failed: model fct_sessions: Database Error in model fct_sessions"));
        Assert.That(result.StdOut, Does.Contain("failed: test accepted_values_stg_sessions_platform: Got 3 results"));
    }

    [TestCase("--target-path", TestName = "run_results.json is read from dbt's --target-path")]
    [TestCase("DBT_TARGET_PATH", TestName = "run_results.json is read from DBT_TARGET_PATH")]
    public void Run_results_are_read_where_dbt_wrote_them(string how)
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        File.WriteAllText(folder.File("run_results.json"), """{"results": [{"unique_id": "model.game.stg_players", "status": "success"}]}""");
        using var target = Loaded(new DuckDbTarget());
        var environment = new Dictionary<string, string?> { ["FAKE_DBT_RESULTS"] = folder.File("run_results.json") };
        string[] arguments = ["dbt", "--dbt-project", project, .. target.CliArgs];
        if (how == "DBT_TARGET_PATH") environment["DBT_TARGET_PATH"] = "elsewhere";
        else arguments = [.. arguments, "--dbt-args", "--target-path=elsewhere"];

        var result = CliRunner.Run(arguments, environment);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(File.Exists(Path.Combine(project, "elsewhere", "run_results.json")), Is.True, "the stand-in wrote it there");
        Assert.That(result.StdOut, Does.Contain("dbt: 1 model, 0 tests; 1 passed"));
    }

    [TestCase("docs generate")]
    [TestCase("source freshness")]
    public void Two_word_dbt_commands_are_dbt_commands(string command)
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        using var target = Loaded(new DuckDbTarget());

        var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs, "--dbt-command", command]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(dbt.Calls.Single().Args[..3], Is.EqualTo(command.Split(' ').Append("--project-dir")));
    }

    [Test]
    public void A_dbt_whose_interpreter_is_gone_is_one_line_naming_both()
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        var dbt = Path.Combine(project, "venv", "bin", "dbt");
        Directory.CreateDirectory(Path.GetDirectoryName(dbt)!);
        // What a venv moved after it was made looks like: its scripts name the old interpreter.
        File.WriteAllText(dbt, "#!/home/someone/old-place/venv/bin/python3\nimport dbt\n");
        SetMode(dbt, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var target = Loaded(new DuckDbTarget());

        var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.StdOut + result.StdErr);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.StartWith("error: ").And.Contain(dbt).And.Contain("/home/someone/old-place/venv/bin/python3")
            .And.Not.Contain("unexpected"));
    }

    [Test]
    public void A_dbt_that_cannot_be_executed_is_one_line_naming_it()
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        var dbt = Path.Combine(project, "venv", "bin", "dbt");
        Directory.CreateDirectory(Path.GetDirectoryName(dbt)!);
        File.WriteAllText(dbt, "not a program");
        SetMode(dbt, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var target = Loaded(new DuckDbTarget());

        var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs]);

        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.StartWith("error: ").And.Contain(dbt).And.Not.Contain("unexpected"));
    }

    [Test]
    public void On_DuckDB_dbt_runs_holding_the_files_lock_and_waits_for_a_load_holding_it()
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        using var target = Loaded(new DuckDbTarget());
        var path = target.Settings.DuckDbPath;
        var lockFile = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.lock");
        var environment = new Dictionary<string, string?> { ["FAKE_DBT_LOCK"] = lockFile, ["FAKE_DBT_MARK"] = folder.File("released") };

        var alone = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs], environment);
        Assert.That(alone.ExitCode, Is.Zero, alone.StdErr);
        Assert.That(dbt.Calls.Single().Lock, Is.EqualTo("held"), "gamedata held the file's lock while dbt ran");

        var load = DuckDbFile.Lock(path, _ => { }, TimeSpan.Zero);
        using var waiting = CliRunner.Start(["dbt", "--dbt-project", project, .. target.CliArgs, "--lock-timeout", "60"], environment);
        while (waiting.StandardOutput.ReadLine() is { } line && !line.Contains("in use by another gamedata process", StringComparison.Ordinal)) { }
        File.WriteAllText(environment["FAKE_DBT_MARK"]!, "");
        load.Dispose();
        Assert.That(waiting.WaitForExit(TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(waiting.ExitCode, Is.Zero, waiting.StandardError.ReadToEnd());
        Assert.That(dbt.Calls.Select(c => c.Mark), Is.EqualTo(new[] { "before", "after" }), "dbt waits while a load holds the file, and runs once it is done");
    }

    [Test]
    public void On_DuckDB_dbt_gives_up_after_the_lock_timeout_without_running()
    {
        using var folder = new TempFolder();
        var project = Project(folder);
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        using var target = Loaded(new DuckDbTarget());
        using var load = DuckDbFile.Lock(target.Settings.DuckDbPath, _ => { }, TimeSpan.Zero);

        var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs, "--lock-timeout", "0"]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut + result.StdErr);
        Assert.That(result.ErrorLines.Single(), Does.Contain("another gamedata process still holds"));
        Assert.That(dbt.Calls, Is.Empty);
    }

    [Test]
    public void A_failing_deps_stops_before_the_build()
    {
        using var folder = new TempFolder();
        var project = Project(folder, packages: true);
        var dbt = new FakeDbt(Path.Combine(project, "venv", "bin", "dbt"), folder.File("calls"));
        using var target = Loaded(new DuckDbTarget());

        var result = CliRunner.Run(["dbt", "--dbt-project", project, .. target.CliArgs], new Dictionary<string, string?> { ["FAKE_DBT_DEPS_EXIT"] = "2" });

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(dbt.Calls.Select(c => c.Args[0]), Is.EqualTo(new[] { "deps" }));
    }

    /// <summary>A dbt project folder as dbt init writes one: dbt_project.yml naming its profile, and packages.yml if asked.</summary>
    internal static string Project(TempFolder folder, string profile = "game_analytics", bool packages = false)
    {
        var project = folder.File("game_dbt_project");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "dbt_project.yml"), $"name: 'game_dbt_project'\nversion: '1.0.0'\nprofile: '{profile}'\nmodel-paths: [\"models\"]\n");
        if (packages) File.WriteAllText(Path.Combine(project, "packages.yml"), "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\n");
        return project;
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("Unix file modes");
        else File.SetUnixFileMode(path, mode);
    }

    private static T Loaded<T>(T target) where T : WarehouseTarget
    {
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        return target;
    }

    /// <summary>One output of the profile, its scalars by key (parsed as YAML: a file dbt could read).</summary>
    private static Dictionary<string, string> Output(string yaml, string profile, string target)
    {
        var outputs = (YamlMappingNode)Profile(yaml, profile)["outputs"];
        return ((YamlMappingNode)outputs[target]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);
    }

    private static string Target(string yaml, string profile) => ((YamlScalarNode)Profile(yaml, profile)["target"]).Value!;

    private static YamlMappingNode Profile(string yaml, string profile)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode)[profile];
    }

    private static void AssertBadInput(CliResult result, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), $"stdout: {result.StdOut}\nstderr: {result.StdErr}");
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.StartWith("error: ").And.Contain(message));
    }
}
