using GameData.Generation;
using GameData.Tests.Loading;
using GameData.Tests.Validation;

namespace GameData.Tests.Cli;

/// <summary>
/// Input found wrong when the tool was tried as an adversary would: each is refused before any work with one
/// line and exit 2, and nothing is written or loaded.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class BadInputTests
{
    [TestCase("generate", "--players", TestName = "Empty --players")]
    [TestCase("generate", "--out", TestName = "Empty --out")]
    [TestCase("generate", "--duckdb", TestName = "Empty --duckdb")]
    [TestCase("load", "--schema", TestName = "Empty --schema (an unset $STUDENT)")]
    [TestCase("load", "--data", TestName = "Empty --data")]
    [TestCase("validate", "--data", TestName = "Empty --data for validate")]
    [TestCase("validate", "--report", TestName = "Empty --report")]
    [TestCase("report", "--out", TestName = "Empty --out for report")]
    public void An_explicitly_empty_flag_is_an_error(string verb, string flag)
    {
        using var target = LoadedDuckDb();
        var before = target.Snapshot();
        using var data = TestDatasets.CopyOf(TestDatasets.Small);
        var snapshot = FolderSnapshot.Of(data.Path);
        string[] where = verb is "validate" or "report" ? ["--data", data.Path] : verb == "load" ? ["--data", data.Path, "--mode", "recreate", .. target.CliArgs] : ["--out", data.Path];
        var args = where.Chunk(2).Where(pair => pair[0] != flag).SelectMany(pair => pair).Concat(new[] { flag, "" }).ToList();

        var result = CliRunner.Run([verb, .. args]);

        AssertBadInput(result, $"{flag} '' is empty");
        Assert.That(target.Snapshot(), Is.EqualTo(before));
        Assert.That(FolderSnapshot.Of(data.Path), Is.EqualTo(snapshot));
    }

    [Test]
    public void An_empty_environment_variable_is_an_error_not_the_env_files_value()
    {
        using var data = new TempFolder();
        var envFile = data.File("settings.env");
        File.WriteAllText(envFile, "N_PLAYERS=7\n");
        var result = CliRunner.Run(["generate", "--out", data.File("out"), "--env-file", envFile], new Dictionary<string, string?> { ["N_PLAYERS"] = "" });
        AssertBadInput(result, "N_PLAYERS='' (from environment) is empty");
        Assert.That(Directory.Exists(data.File("out")), Is.False);
    }

    [TestCase("N_PLAYERS=\"18\" # the course's size", 18, TestName = "Quoted value with a comment")]
    [TestCase("export\tN_PLAYERS=24", 24, TestName = "export and a tab")]
    [TestCase("export N_PLAYERS='9'", 9, TestName = "export and single quotes")]
    [TestCase("N_PLAYERS = 12   # spaces around", 12, TestName = "Spaces around the equals sign")]
    public void Dotenv_syntax_as_the_common_tools_read_it(string line, int players)
    {
        using var data = new TempFolder();
        var envFile = data.File("settings.env");
        File.WriteAllText(envFile, $"# settings\n{line}\n");
        var result = CliRunner.Run(["generate", "--out", data.File("out"), "--env-file", envFile]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(DatasetManifest.Read(Path.Combine(data.File("out"), DatasetManifest.FileName)).Settings.Players, Is.EqualTo(players));
    }

    [TestCase("N_PLAYERS=\"18", "settings.env:2: N_PLAYERS: the double quote is not closed", TestName = "Unclosed quote")]
    [TestCase("N PLAYERS=18", "settings.env:2: expected KEY=value", TestName = "A key with a space")]
    [TestCase("N_PLAYERS=\"18\" 19", "settings.env:2: N_PLAYERS: unexpected text after the closing quote", TestName = "Text after the closing quote")]
    public void Dotenv_lines_it_cannot_read_name_the_line(string line, string message)
    {
        using var data = new TempFolder();
        var envFile = data.File("settings.env");
        File.WriteAllText(envFile, $"# settings\n{line}\n");
        AssertBadInput(CliRunner.Run(["generate", "--out", data.File("out"), "--env-file", envFile]), message);
    }

    [Test]
    public void Env_file_that_is_a_folder()
    {
        using var data = new TempFolder();
        AssertBadInput(CliRunner.Run(["generate", "--out", data.File("out"), "--env-file", data.Path]), "is a folder, not a settings file");
    }

    [Test]
    public void End_date_at_the_end_of_time_is_refused_before_any_work()
    {
        using var data = new TempFolder();
        AssertBadInput(CliRunner.Run(["generate", "--players", "5", "--end", "9999-12-31", "--out", data.Path]), "--end '9999-12-31' is too late");
        Assert.That(Directory.GetFiles(data.Path), Is.Empty);
    }

    [Test]
    public void A_huge_seed_is_not_echoed_whole()
    {
        var seed = "9" + new string('x', 10_000);
        var result = CliRunner.Run(["generate", "--players", "5", "--seed", seed]);
        AssertBadInput(result, "is not an integer");
        Assert.That(result.StdErr.Length, Is.LessThan(300));
    }

    [Test]
    public void An_output_folder_that_exists_but_cannot_be_written_is_named()
    {
        // /sys refuses new files even to root, unlike a permission bit.
        var result = CliRunner.Run(["generate", "--players", "5", "--out", "/sys"]);
        AssertBadInput(result, "cannot write to the output folder '/sys'");
        Assert.That(result.StdErr, Does.Not.Contain(".tmp"), "the folder is named, not a hidden temporary file");
    }

    [Test]
    public void A_report_path_that_is_a_folder_is_refused_before_validating()
    {
        using var data = TestDatasets.CopyOf(TestDatasets.Small);
        var result = CliRunner.Run(["validate", "--data", data.Path, "--report", data.Path]);
        AssertBadInput(result, "is a folder; give a file's name");
        Assert.That(result.StdOut, Does.Not.Contain("rows read"), "nothing was validated");
    }

    [Test]
    public void Verbs_in_another_letter_case()
    {
        var result = CliRunner.Run(["GENERATE", "--help"]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("--players"));
    }

    [TestCase("select", TestName = "Schema named select")]
    [TestCase("user", TestName = "Schema named user")]
    [TestCase("pg_raw", TestName = "Schema in PostgreSQL's reserved prefix")]
    [TestCase("raw;drop", TestName = "Schema with SQL in it")]
    public void A_schema_that_cannot_be_a_plain_identifier_everywhere_is_refused(string schema)
    {
        using var target = new DuckDbTarget();
        var result = CliRunner.Run(["migrate", "--duckdb", target.Settings.DuckDbPath, "--schema", schema]);
        AssertBadInput(result, $"--schema '{schema}'");
        Assert.That(File.Exists(target.Settings.DuckDbPath), Is.False);
    }

    [Test]
    public void A_mixed_case_schema_is_folded_to_the_case_PostgreSQL_stores()
    {
        PostgresTestServer.Require();
        var name = "Student_" + Guid.NewGuid().ToString("N")[..6];
        string[] target = ["--warehouse", "postgres", "--postgres", PostgresTestServer.ConnectionString, "--schema", name];
        try
        {
            var migrate = CliRunner.Run(["migrate", .. target]);
            Assert.That(migrate.ExitCode, Is.Zero, migrate.StdOut + migrate.StdErr);
            var load = CliRunner.Run(["load", "--data", TestDatasets.Small, .. target]);
            Assert.That(load.ExitCode, Is.Zero, load.StdErr);
            Assert.That(load.StdOut, Does.Contain($"(schema {name.ToLowerInvariant()})"));
        }
        finally
        {
            using var connection = new Npgsql.NpgsqlConnection(PostgresTestServer.ConnectionString);
            connection.Open();
            using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {name} CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }

    [TestCase("Host=localhost;Port=abc;Password=s3cret-Pa55word", "the value of 'Port' is not valid", TestName = "Connection string with a bad port")]
    [TestCase("Host=localhost;Prot=5432;Password=s3cret-Pa55word", "'Prot' is not a keyword", TestName = "Connection string with a misspelled key")]
    [TestCase("Host=localhost;s3cret-Pa55word", "part 2 is not key=value", TestName = "Connection string with a bare value")]
    public void A_malformed_connection_string_names_the_key_and_never_the_value(string connection, string message)
    {
        var result = CliRunner.Run(["load", "--warehouse", "postgres", "--postgres", connection, "--data", TestDatasets.Small]);
        AssertBadInput(result, message);
        Assert.That(result.StdErr, Does.Not.Contain("s3cret-Pa55word"));
    }

    [TestCase("PGPORT", "abc", "PGPORT='abc' (from environment) is not a port number", TestName = "PGPORT not a number")]
    [TestCase("PGSSLMODE", "bogus", "PGSSLMODE='bogus' (from environment) is not an SSL mode", TestName = "PGSSLMODE unknown")]
    public void Bad_PG_variables_are_not_ignored(string variable, string value, string message)
    {
        var environment = new Dictionary<string, string?> { ["PGHOST"] = "localhost", ["PGUSER"] = "course", [variable] = value };
        AssertBadInput(CliRunner.Run(["load", "--warehouse", "postgres", "--data", TestDatasets.Small], environment), message);
    }

    [Test]
    public void A_migration_refused_by_the_server_is_one_line_naming_the_script()
    {
        PostgresTestServer.Require();
        using var owned = new PostgresTarget();
        owned.Migrate(); // the schema now belongs to the test role
        var other = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString) { Username = "gamedata_other", Password = "gamedata_other" };
        using var migrations = new TempFolder();
        Directory.CreateDirectory(migrations.File("postgres"));
        File.Copy(Path.Combine(WarehouseTarget.MigrationsFolder, "postgres", "0001_raw_tables.sql"), migrations.File("postgres/0001_raw_tables.sql"));
        File.WriteAllText(migrations.File("postgres/0002_extra.sql"), "CREATE TABLE $schema$.EXTRA (X INTEGER);\n");

        var result = CliRunner.Run(["migrate", "--warehouse", "postgres", "--postgres", other.ConnectionString, "--schema", owned.Settings.Schema, "--migrations", migrations.Path]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut + result.StdErr);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.Contain("permission denied"));
        Assert.That(result.ErrorLines[0], Does.Not.Contain(" ? "));
        Assert.That(result.StdOut + result.StdErr, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void A_file_that_is_not_DuckDB_is_named_and_no_extension_is_fetched()
    {
        using var folder = new TempFolder();
        var sqlite = folder.File("course.sqlite");
        File.WriteAllBytes(sqlite, [.. "SQLite format 3\0"u8.ToArray(), .. new byte[4080]]);
        var before = File.ReadAllBytes(sqlite);

        AssertBadInput(CliRunner.Run(["migrate", "--duckdb", sqlite]), $"{sqlite} is not a DuckDB file");
        AssertBadInput(CliRunner.Run(["load", "--duckdb", sqlite, "--data", TestDatasets.Small]), $"{sqlite} is not a DuckDB file");
        Assert.That(File.ReadAllBytes(sqlite), Is.EqualTo(before));
    }

    [Test]
    public void Report_on_a_cut_short_file_without_a_manifest_says_it_fails_validation()
    {
        using var data = new BrokenDataset();
        var events = data.Bytes(DatasetFiles.Events);
        data.WriteBytes(DatasetFiles.Events, events[..(events.Length / 2)]);

        var result = CliRunner.Run(["report", "--data", data.Folder]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut + result.StdErr);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.Contain("fail validation").And.Contain("truncated").And.Not.Contain("DuckDB"));
        Assert.That(File.Exists(Path.Combine(data.Folder, "report.html")), Is.False);
    }

    [Test]
    public void Validate_with_a_manifest_says_which_window_it_used()
    {
        var result = CliRunner.Run(["validate", "--data", TestDatasets.Small, "--start", "2011-05-01", "--end", "2011-05-31"]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("event window from manifest.json: 2011-01-13..2011-02-12").And.Contain("apply only to files without a manifest"));
    }

    [Test]
    public void One_problem_in_one_rule_is_said_in_the_singular()
    {
        using var data = new BrokenDataset();
        data.WriteLines(DatasetFiles.Players, data.Lines(DatasetFiles.Players).Select((l, i) => i == 1 ? l.Replace(",easy", ",nightmare").Replace(",normal", ",nightmare").Replace(",hard", ",nightmare").Replace(",grounded", ",nightmare") : l));
        var result = CliRunner.Run(["validate", "--data", data.Folder]);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.Contain("1 problem in 1 rule ("));
    }

    private static DuckDbTarget LoadedDuckDb()
    {
        var target = new DuckDbTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, GameData.Loading.LoadMode.Recreate);
        return target;
    }

    internal static void AssertBadInput(CliResult result, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), $"stdout: {result.StdOut}\nstderr: {result.StdErr}");
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.StartWith("error: ").And.Contain(message));
    }
}
