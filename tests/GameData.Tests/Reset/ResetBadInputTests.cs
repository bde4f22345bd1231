using GameData.Loading;
using GameData.Tests.Loading;

namespace GameData.Tests.Reset;

/// <summary>What a reset refuses before it drops anything: one line, exit 2, every target as it was.</summary>
[Parallelizable(ParallelScope.All)]
public class ResetBadInputTests
{
    [TestCase("student01,student-02", "is not a plain SQL identifier", TestName = "A schema list with an invalid identifier")]
    [TestCase("student01,select", "is a reserved SQL word", TestName = "A schema list with a reserved word")]
    [TestCase("student01;drop schema raw cascade", "is not a plain SQL identifier", TestName = "A schema list with SQL in it")]
    [TestCase("student01,,student02", "--schema holds an empty name", TestName = "A schema list with an empty name")]
    [TestCase("student01,student01", "twice", TestName = "A schema list naming one target twice")]
    public void Bad_schema_lists(string schemas, string message)
    {
        using var target = Loaded();
        var before = target.Snapshot();
        AssertRefused(Reset(target, ["--schema", schemas, "--schema", "raw"]), message);
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void More_than_1000_targets()
    {
        var names = string.Join(',', Enumerable.Range(1, 1001).Select(i => $"student{i:0000}"));
        using var folder = new TempFolder();
        AssertRefused(CliRunner.Run(["reset", "--duckdb-dir", folder.Path, "--schema", names, "--yes"]), "names 1,001 targets; a reset takes at most 1,000");
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [TestCase("name,warehouse,schema,connection\nalice,postgres,alice,Host=localhost;Username=u;Password=hunter2;Database=course\n",
        "the connection string holds a password", TestName = "A targets file with a password in it")]
    [TestCase("name,warehouse,connection\nalice,duckdb,alice.duckdb\n", "has no 'schema' column", TestName = "A targets file without the schema column")]
    [TestCase("name,warehouse,schema,connection\nalice,duckdb,raw,alice.duckdb\nalice,duckdb,raw,bob.duckdb\n", "names the target 'alice' twice", TestName = "A targets file naming a target twice")]
    [TestCase("name,warehouse,schema,connection\nalice,duckdb,raw,same.duckdb\nbob,duckdb,raw,same.duckdb\n", "twice", TestName = "A targets file with two targets in one place")]
    [TestCase("name,warehouse,schema,connection,password_env\nalice,postgres,alice,Host=localhost;Username=u;Database=course,NO_SUCH_VARIABLE_42\n",
        "password_env names NO_SUCH_VARIABLE_42, which is not set", TestName = "A targets file naming a variable that is not set")]
    [TestCase("name,warehouse,schema,connection,owner\nalice,duckdb,raw,alice.duckdb,me\n", "has a column 'owner'", TestName = "A targets file with an unknown column")]
    public void Bad_targets_files(string csv, string message)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("class.csv"), csv);
        var result = CliRunner.Run(["reset", "--targets", folder.File("class.csv"), "--yes"]);
        AssertRefused(result, message);
        Assert.That(result.StdErr + result.StdOut, Does.Not.Contain("hunter2"));
        Assert.That(Directory.GetFiles(folder.Path), Is.EqualTo(new[] { folder.File("class.csv") }), "no DuckDB file was made");
    }

    [Test]
    public void Without_a_terminal_it_needs_yes()
    {
        using var target = Loaded();
        var before = target.Snapshot();
        var result = CliRunner.Run(["reset", "--duckdb", target.Settings.DuckDbPath, "--players", "20"]);
        AssertRefused(result, "give --yes to go ahead");
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Drop_schemas_cannot_name_the_RAW_schema()
    {
        using var target = Loaded();
        var before = target.Snapshot();
        AssertRefused(Reset(target, ["--drop-schemas", "dev,raw"]), "is a RAW schema being reset");
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    private static DuckDbTarget Loaded()
    {
        var target = new DuckDbTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        return target;
    }

    private static CliResult Reset(DuckDbTarget target, string[] extra) =>
        CliRunner.Run(["reset", "--duckdb", target.Settings.DuckDbPath, "--players", "20", "--yes", .. extra]);

    private static void AssertRefused(CliResult result, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), $"stdout: {result.StdOut}\nstderr: {result.StdErr}");
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.StartWith("error: ").And.Contain(message));
    }
}

/// <summary>A class spread over several places in one targets file: DuckDB files and a PostgreSQL schema, its password from the environment.</summary>
public class ResetTargetsFileTests
{
    [Test]
    public void Every_row_of_a_targets_file_is_reset()
    {
        PostgresTestServer.Require();
        using var folder = new TempFolder();
        using var postgres = new PostgresTarget();
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString) { Password = null };
        File.WriteAllText(folder.File("class.csv"),
            "name,warehouse,schema,connection,password_env\n" +
            "alice,duckdb,raw,alice.duckdb,\n" +
            "bob,duckdb,raw,bob.duckdb,\n" +
            $"carol,postgres,{postgres.Settings.Schema},\"{connection.ConnectionString}\",CAROL_PASSWORD\n");

        var result = CliRunner.Run(["reset", "--targets", folder.File("class.csv"), "--players", "200", "--yes"],
            new Dictionary<string, string?> { ["CAROL_PASSWORD"] = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString).Password });

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        Assert.That(new DuckDbTarget(folder.File("alice.duckdb")).Counts(), Is.EqualTo((200L, 622L, 23206L)));
        Assert.That(new DuckDbTarget(folder.File("bob.duckdb")).Counts(), Is.EqualTo((200L, 622L, 23206L)));
        Assert.That(postgres.Counts(), Is.EqualTo((200L, 622L, 23206L)));
        Assert.That(result.StdOut, Does.Not.Contain("gamedata_test;"), "no connection string, nor its password, printed");
    }
}
