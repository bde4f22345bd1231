using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GameData.Generation;
using GameData.Loading;
using GameData.Tests.Loading;
using Npgsql;

namespace GameData.Tests.Reset;

/// <summary>
/// <c>gamedata reset</c> on a real DuckDB folder and a real PostgreSQL server: whatever state a target is in, it
/// ends holding exactly batch 1 with a fresh ledger and journal; several targets end identical; a target that
/// cannot be reset is left as it was while the others go on.
/// </summary>
[TestFixture("duckdb")]
[TestFixture("postgres")]
[Parallelizable(ParallelScope.Children)]
public class ResetTests(string warehouse)
{
    private static readonly string[] Small = ["--players", "200"];

    [TestCase("batch 2 appended")]
    [TestCase("a failed load")]
    [TestCase("a hand-made extra table")]
    [TestCase("an edited journal")]
    [TestCase("a half-applied migration")]
    public void A_reset_leaves_exactly_batch_1_and_a_fresh_ledger_after(string mess)
    {
        using var targets = new ResetTargets(warehouse, 1);
        var target = targets[0];
        target.Migrate();
        target.Load(TestDatasets.Tiny, LoadMode.Recreate);
        var s = target.Settings.Schema;
        switch (mess)
        {
            case "batch 2 appended": target.Load(TestDatasets.Batch2, LoadMode.Append); break;
            case "a failed load":
                using (var edited = TestDatasets.CopyOf(TestDatasets.Batch2))
                {
                    // Same size as the manifest says, another SHA-256: refused part-way, and the failure is in the ledger.
                    var players = edited.File("raw_players.csv");
                    File.WriteAllText(players, File.ReadAllText(players).Replace("player_2_1,", "player_2_X,"));
                    Assert.Catch<WarehouseException>(() => target.Load(edited.Path, LoadMode.Append));
                    Assert.That(target.Scalar<long>($"SELECT count(*) FROM {s}._LOADS WHERE STATUS = 'failed'"), Is.EqualTo(1));
                }
                break;
            case "a hand-made extra table": target.Execute($"CREATE TABLE {s}.EXTRA_NOTES (NOTE VARCHAR)"); target.Execute($"INSERT INTO {s}.EXTRA_NOTES VALUES ('mine')"); break;
            case "an edited journal": target.Execute($"UPDATE {s}.schema_versions SET checksum = 'edited'"); break;
            default:
                target.Execute($"DROP TABLE {s}.RAW_SESSIONS");
                target.Execute($"DELETE FROM {s}.schema_versions WHERE script_name <> '0001_raw_tables.sql'");
                break;
        }

        var result = targets.Reset(Small);

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        Assert.That(target.Counts(), Is.EqualTo((200L, 622L, 23206L)));
        target.AssertNoDuplicates();
        var ledger = target.Rows($"SELECT MODE, BATCH_ID, STATUS FROM {s}._LOADS");
        Assert.That(ledger.Select(r => $"{r[0]}/{r[1]}/{r[2]}"), Is.EqualTo(new[] { "recreate/1/succeeded" }), "a fresh ledger");
        Assert.That(target.Migrate().Pending, Is.Empty, "the journal records every script, with its checksum");
        if (mess == "a hand-made extra table")
        {
            Assert.That(target.Scalar<string>($"SELECT NOTE FROM {s}.EXTRA_NOTES"), Is.EqualTo("mine"), "anything else stays");
            Assert.That(result.StdOut, Does.Contain("kept: extra_notes").IgnoreCase);
        }
    }

    [Test]
    public void Several_targets_end_identical_and_a_rerun_converges()
    {
        using var targets = new ResetTargets(warehouse, 3);
        targets[1].Migrate();
        targets[1].Load(TestDatasets.Batch2, LoadMode.Recreate);

        var first = targets.Reset(Small);
        Assert.That(first.ExitCode, Is.Zero, first.StdOut + first.StdErr);
        var checksums = targets.Select(Checksum).ToList();
        Assert.That(checksums.Distinct().Count(), Is.EqualTo(1), "same rows, lineage included, in every target");
        Assert.That(targets.Select(t => t.Counts()), Has.All.EqualTo((200L, 622L, 23206L)));

        var again = targets.Reset(Small);
        Assert.That(again.ExitCode, Is.Zero, again.StdErr);
        Assert.That(targets.Select(t => t.Counts()), Has.All.EqualTo((200L, 622L, 23206L)));
        Assert.That(targets.Select(Checksum).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void A_class_reset_with_anomalies_holds_the_declared_defects_in_every_target()
    {
        using var targets = new ResetTargets(warehouse, 2);
        using var expected = new TempFolder();
        var manifest = DatasetGenerator.Generate(GameData.Generation.GenerationSettings.Defaults with
            { Players = 200, Anomalies = GameData.Anomalies.AnomalySpec.Presets["light"] }, expected.Path).Manifest;

        var result = targets.Reset([.. Small, "--anomalies", "light"]);

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        var rows = (manifest.Files[DatasetFiles.Players].Rows, manifest.Files[DatasetFiles.Sessions].Rows, manifest.Files[DatasetFiles.Events].Rows);
        Assert.That(rows, Is.Not.EqualTo((200L, 622L, 23206L)));
        Assert.That(targets.Select(t => t.Counts()), Has.All.EqualTo(rows));
        Assert.That(targets.Select(t => t.Scalar<long>($"SELECT count(*) - count(DISTINCT EVENT_ID) FROM {t.Settings.Schema}.RAW_GAME_EVENTS")), Has.All.EqualTo(1));
    }

    [Test]
    public void A_target_that_cannot_be_reset_is_left_as_it_was_and_the_others_go_on()
    {
        using var targets = new ResetTargets(warehouse, 3);
        var broken = targets[1];
        var (before, cleanUp) = MakeUnresettable(broken);
        var json = Path.Combine(targets.Folder, "result.json");

        using var _ = cleanUp;
        var result = targets.Reset([.. Small, "--result-json", json]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut + result.StdErr);
        Assert.That(result.ErrorLines.Last(), Does.Contain("1 of 3 target(s) could not be reset"));
        Assert.That(result.StdOut, Does.Match($@"{broken.Name}\s+FAILED"));
        Assert.That(targets[0].Counts(), Is.EqualTo((200L, 622L, 23206L)));
        Assert.That(targets[2].Counts(), Is.EqualTo((200L, 622L, 23206L)));
        Assert.That(before(), Is.True, "the failed target is as it was");
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var statuses = document.RootElement.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("status").GetString()).ToList();
        Assert.That(statuses, Is.EqualTo(new[] { "reset", "failed", "reset" }));
        Assert.That(document.RootElement.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(document.RootElement.GetProperty("targets")[0].GetProperty("load_id").GetString(), Does.StartWith("load_"));
    }

    [Test]
    public void Drop_schemas_drops_the_dbt_output_only_when_asked()
    {
        using var targets = new ResetTargets(warehouse, 1);
        var target = targets[0];
        target.Migrate();
        var dev = warehouse == "duckdb" ? "dev" : $"dev_{target.Settings.Schema}";
        target.Execute($"CREATE SCHEMA {dev}");
        target.Execute($"CREATE TABLE {dev}.STG_PLAYERS (X INTEGER)");
        try
        {
            Assert.That(targets.Reset(Small).ExitCode, Is.Zero);
            Assert.That(target.Scalar<long>($"SELECT count(*) FROM {dev}.STG_PLAYERS"), Is.Zero, "kept without --drop-schemas");
            Assert.That(targets.Reset([.. Small, "--drop-schemas", dev]).ExitCode, Is.Zero);
            Assert.That(target.Scalar<long>($"SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{dev}'"), Is.Zero);
        }
        finally
        {
            target.Execute($"DROP SCHEMA IF EXISTS {dev} CASCADE");
        }
    }

    [Test]
    public void A_dry_run_lists_what_it_would_drop_and_changes_nothing()
    {
        using var targets = new ResetTargets(warehouse, 2);
        targets[0].Migrate();
        targets[0].Load(TestDatasets.Batch2, LoadMode.Recreate);
        var before = targets[0].Snapshot();

        var result = targets.Reset([.. Small, "--dry-run"], yes: false);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("drops RAW_PLAYERS, RAW_SESSIONS, RAW_GAME_EVENTS, _LOADS, schema_versions").And.Contain(targets[1].Name));
        Assert.That(targets[0].Snapshot(), Is.EqualTo(before));
        Assert.That(targets[1].Exists(), Is.False, "the second target was not created");
    }

    /// <summary>
    /// A target the reset cannot touch, a check that it kept its state, and its clean-up. DuckDB: a file that is
    /// not DuckDB's; PostgreSQL: a schema another role owns (its server refuses to drop its tables).
    /// </summary>
    private (Func<bool> Unchanged, IDisposable CleanUp) MakeUnresettable(WarehouseTarget target)
    {
        if (warehouse == "duckdb")
        {
            File.WriteAllText(target.Settings.DuckDbPath, "not a database\n");
            return (() => File.ReadAllText(target.Settings.DuckDbPath) == "not a database\n", new Finally(() => { }));
        }
        var schema = target.Settings.Schema;
        OtherRole($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.RAW_PLAYERS (PLAYER_ID TEXT); INSERT INTO {schema}.RAW_PLAYERS VALUES ('theirs'); " +
                  $"GRANT USAGE ON SCHEMA {schema} TO PUBLIC; GRANT SELECT ON {schema}.RAW_PLAYERS TO PUBLIC");
        return (() => target.Scalar<string>($"SELECT PLAYER_ID FROM {schema}.RAW_PLAYERS") == "theirs", new Finally(() => OtherRole($"DROP SCHEMA {schema} CASCADE")));
    }

    private static void OtherRole(string sql)
    {
        var other = new NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString) { Username = "gamedata_other", Password = "gamedata_other" };
        using var connection = new NpgsqlConnection(other.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private sealed class Finally(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <summary>SHA-256 of every RAW row, in key order, lineage columns included.</summary>
    private static string Checksum(WarehouseTarget target)
    {
        var text = new StringBuilder();
        foreach (var table in RawSchema.Tables)
            foreach (var row in target.Rows($"SELECT * FROM {target.Settings.Schema}.{table.Name} ORDER BY {table.Key}"))
                text.AppendLine(string.Join('|', row.Select(v => v is DateTime or DateTimeOffset ? "" : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>Targets of one warehouse for a reset test: DuckDB files in a folder of their own, or PostgreSQL schemas; removed afterwards.</summary>
internal sealed class ResetTargets : List<WarehouseTarget>, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _warehouse;

    public ResetTargets(string warehouse, int count)
    {
        _warehouse = warehouse;
        if (warehouse == "postgres") PostgresTestServer.Require();
        for (var i = 0; i < count; i++)
            Add(warehouse == "duckdb" ? new DuckDbTarget(Path.Combine(_folder.Path, $"student{i + 1:00}.duckdb")) : new PostgresTarget());
    }

    public string Folder => _folder.Path;

    /// <summary>Runs gamedata reset on these targets, with <c>--yes</c> unless told otherwise.</summary>
    public CliResult Reset(string[] extra, bool yes = true)
    {
        string[] where = _warehouse == "duckdb"
            ? ["--duckdb-dir", _folder.Path, "--schema", string.Join(',', this.Select(t => Path.GetFileNameWithoutExtension(t.Settings.DuckDbPath)))]
            : ["--warehouse", "postgres", "--postgres", PostgresTestServer.ConnectionString, .. this.SelectMany(t => new[] { "--schema", t.Settings.Schema })];
        return CliRunner.Run(["reset", .. where, .. extra, .. yes ? new[] { "--yes" } : []]);
    }

    public void Dispose()
    {
        foreach (var target in this) target.Dispose();
        _folder.Dispose();
    }
}
