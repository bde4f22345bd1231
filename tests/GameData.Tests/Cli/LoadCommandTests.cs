using GameData.Generation;
using GameData.Tests.Loading;

namespace GameData.Tests.Cli;

/// <summary>
/// <c>gamedata migrate</c> and <c>gamedata load</c> as a user runs them. Every bad input is one line on
/// stderr and a non-zero exit, and leaves the target as it was; no password is ever printed.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class LoadCommandTests
{
    private const string Secret = "s3cret-Pa55word";

    [Test]
    public void Migrate_then_load_then_append_through_the_CLI()
    {
        using var target = new DuckDbTarget();
        Assert.That(CliRunner.Run(["migrate", .. target.CliArgs]).ExitCode, Is.Zero);
        var migrateAgain = CliRunner.Run(["migrate", .. target.CliArgs]);
        Assert.That(migrateAgain.StdOut, Does.Contain("Up to date"));

        var load = CliRunner.Run(["load", "--data", TestDatasets.Small, .. target.CliArgs]);
        Assert.That(load.ExitCode, Is.Zero, load.StdErr);
        Assert.That(load.StdOut, Does.Contain("Loaded 24,028 rows"));

        var again = CliRunner.Run(["load", "--mode", "append", "--data", TestDatasets.Small, .. target.CliArgs]);
        Assert.That(again.ExitCode, Is.Zero, again.StdErr);
        Assert.That(again.StdOut, Does.Contain("Nothing new: every row of batch 1 was already loaded"));
    }

    [Test]
    public void Unknown_warehouse_name()
    {
        var result = CliRunner.Run(["load", "--warehouse", "oracle", "--data", TestDatasets.Small]);
        AssertOneLineError(result, 2, "--warehouse 'oracle' is not a known warehouse (known: duckdb, postgres, snowflake)");
    }

    [Test]
    public void Unreachable_postgres()
    {
        var result = CliRunner.Run(["load", "--warehouse", "postgres", "--data", TestDatasets.Small,
            "--postgres", $"Host=127.0.0.1;Port=1;Username=course;Password={Secret};Database=game;Timeout=3"]);
        AssertOneLineError(result, 1, "cannot reach PostgreSQL at course@127.0.0.1:1/game");
    }

    [Test]
    public void Wrong_postgres_password_changes_nothing()
    {
        PostgresTestServer.Require();
        using var target = new PostgresTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, GameData.Loading.LoadMode.Recreate);
        var before = target.Snapshot();
        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString) { Password = Secret }.ConnectionString;

        var result = CliRunner.Run(["load", "--mode", "append", "--data", TestDatasets.Batch2, "--warehouse", "postgres", "--postgres", wrong, "--schema", target.Settings.Schema]);

        AssertOneLineError(result, 1, "PostgreSQL rejected the password for gamedata_test@localhost:5432/gamedata_test");
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Password_from_PG_variables_is_not_printed_either()
    {
        var result = CliRunner.Run(["load", "--warehouse", "postgres", "--data", TestDatasets.Small],
            new Dictionary<string, string?> { ["PGHOST"] = "127.0.0.1", ["PGPORT"] = "1", ["PGUSER"] = "course", ["PGPASSWORD"] = Secret, ["PGDATABASE"] = "game" });
        AssertOneLineError(result, 1, "cannot reach PostgreSQL at course@127.0.0.1:1/game");
    }

    [Test]
    public void Missing_data_files_change_nothing()
    {
        using var target = LoadedDuckDb();
        var before = target.Snapshot();
        using var data = TestDatasets.CopyOf(TestDatasets.Batch2);
        File.Delete(data.File(DatasetFiles.Sessions));

        var result = CliRunner.Run(["load", "--mode", "append", "--data", data.Path, .. target.CliArgs]);

        AssertOneLineError(result, 2, "lacks raw_sessions.csv");
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Files_without_a_manifest_load_once_they_validate_and_the_ledger_keeps_their_digests()
    {
        using var target = LoadedDuckDb();
        using var data = TestDatasets.CopyOf(TestDatasets.Batch2);
        var digests = DatasetManifest.Read(data.File(DatasetManifest.FileName)).Files.ToDictionary(f => f.Key, f => f.Value.Sha256);
        File.Delete(data.File(DatasetManifest.FileName));

        var result = CliRunner.Run(["load", "--mode", "append", "--data", data.Path, .. target.CliArgs]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(target.Counts(), Is.EqualTo((500L, 1523L, 56231L)));
        Assert.That(target.Scalar<long>("SELECT count(*) FROM raw.RAW_PLAYERS WHERE _BATCH_ID = 2 AND PLAYER_ID LIKE 'player_2_%'"), Is.EqualTo(300), "the batch comes from the IDs");
        var recorded = target.Scalar<string>("SELECT CAST(FILES_SHA256 AS VARCHAR) FROM raw._LOADS WHERE MODE = 'append'");
        Assert.That(digests.Values, Has.All.Matches<string>(sha => recorded.Contains(sha)));
    }

    [Test]
    public void Files_without_a_manifest_that_fail_validation_are_refused()
    {
        using var target = LoadedDuckDb();
        var before = target.Snapshot();
        using var data = TestDatasets.CopyOf(TestDatasets.Batch2);
        File.Delete(data.File(DatasetManifest.FileName));
        File.AppendAllText(data.File(DatasetFiles.Players), "player_2_1,2011-02-20 10:00:00,us,en,easy\n");

        var result = CliRunner.Run(["load", "--mode", "append", "--data", data.Path, .. target.CliArgs]);

        AssertOneLineError(result, 2, "has no manifest.json and its files fail validation (duplicate-key x1");
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Manifest_mismatch_changes_nothing()
    {
        using var target = LoadedDuckDb();
        var before = target.Snapshot();
        using var data = TestDatasets.CopyOf(TestDatasets.Batch2);
        File.AppendAllText(data.File(DatasetFiles.Players), "player_2_301,2011-02-20 10:00:00,us,en,easy\n");

        var result = CliRunner.Run(["load", "--mode", "append", "--data", data.Path, .. target.CliArgs]);

        AssertOneLineError(result, 2, "raw_players.csv changed after it was generated");
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Append_into_a_target_that_was_never_migrated()
    {
        using var target = new DuckDbTarget();
        var result = CliRunner.Run(["load", "--mode", "append", "--data", TestDatasets.Small, .. target.CliArgs]);
        AssertOneLineError(result, 1, "run MigrateRaw first");
        Assert.That(File.Exists(target.Settings.DuckDbPath), Is.False, "no DuckDB file was created");
    }

    [Test]
    public void Append_into_a_postgres_schema_that_was_never_migrated()
    {
        PostgresTestServer.Require();
        using var target = new PostgresTarget();
        var result = CliRunner.Run(["load", "--mode", "append", "--data", TestDatasets.Small, .. target.CliArgs]);
        AssertOneLineError(result, 1, $"the RAW tables do not exist in postgres gamedata_test@localhost:5432/gamedata_test (schema {target.Settings.Schema}); run MigrateRaw first");
    }

    [Test]
    public void No_mode_into_tables_that_hold_data_names_both_modes_and_changes_nothing()
    {
        using var target = LoadedDuckDb();
        var before = target.Snapshot();
        var result = CliRunner.Run(["load", "--data", TestDatasets.Batch2, .. target.CliArgs]);
        AssertOneLineError(result, 2, "choose --mode recreate");
        Assert.That(result.ErrorLines[0], Does.Contain("--mode append"));
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Unknown_mode()
    {
        using var target = LoadedDuckDb();
        AssertOneLineError(CliRunner.Run(["load", "--mode", "merge", "--data", TestDatasets.Batch2, .. target.CliArgs]), 2, "--mode 'merge' is not recreate or append");
    }

    [Test]
    public void Generate_batch_next_continues_from_the_warehouse()
    {
        using var target = LoadedDuckDb();
        using var data = new TempFolder();
        var result = CliRunner.Run(["generate", "--batch", "next", "--players", "10", "--out", data.Path, .. target.CliArgs]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        var latest = File.ReadLines(Path.Combine(TestDatasets.Small, DatasetFiles.Events)).Skip(1).Max(l => l.Split(',')[1])!;
        var start = DateOnly.Parse(latest[..10]).AddDays(1);
        var manifest = DatasetManifest.Read(data.File(DatasetManifest.FileName));
        Assert.That((manifest.Settings.Batch, manifest.Settings.Start, manifest.Settings.End),
            Is.EqualTo((2, start.ToString("yyyy-MM-dd"), start.AddDays(30).ToString("yyyy-MM-dd"))), "the 31 days after the latest loaded event");
        Assert.That(File.ReadLines(data.File(DatasetFiles.Players)).ElementAt(1), Does.StartWith("player_2_1,"));
    }

    [Test]
    public void Batch_next_after_an_anomalies_dataset_follows_its_declared_window_not_its_future_event()
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        using var data = new TempFolder();
        Assert.That(CliRunner.Run(["generate", "--players", "50", "--anomalies", "light", "--out", data.Path]).ExitCode, Is.Zero);
        Assert.That(CliRunner.Run(["load", "--data", data.Path, .. target.CliArgs]).ExitCode, Is.Zero);
        Assert.That(target.Scalar<long>($"SELECT count(*) FROM {target.Settings.Schema}.RAW_GAME_EVENTS WHERE EVENT_TIME LIKE '203%'"), Is.Positive, "the future event");

        var result = CliRunner.Run(["generate", "--batch", "next", "--players", "10", "--out", data.Path, .. target.CliArgs]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        var manifest = DatasetManifest.Read(data.File(DatasetManifest.FileName));
        Assert.That((manifest.Settings.Batch, manifest.Settings.Start, manifest.Settings.End), Is.EqualTo((2, "2011-02-13", "2011-03-15")),
            "the 31 days after batch 1's declared window (2011-01-13..2011-02-12)");
    }

    [Test]
    public void Batch_next_after_a_recreate_is_batch_2_again()
    {
        using var target = LoadedDuckDb();
        var first = NextBatchSettings(target);
        Assert.That(first.Batch, Is.EqualTo(2));

        using (var batch2 = new TempFolder())
        {
            Assert.That(CliRunner.Run(["generate", "--batch", "next", "--players", "10", "--out", batch2.Path, .. target.CliArgs]).ExitCode, Is.Zero);
            Assert.That(CliRunner.Run(["load", "--mode", "append", "--data", batch2.Path, .. target.CliArgs]).ExitCode, Is.Zero);
        }
        Assert.That(NextBatchSettings(target).Batch, Is.EqualTo(3), "after batch 2 is appended, the next is 3");
        Assert.That(CliRunner.Run(["load", "--mode", "recreate", "--data", TestDatasets.Small, .. target.CliArgs]).ExitCode, Is.Zero);

        var again = NextBatchSettings(target);
        Assert.That((again.Batch, again.Start, again.End), Is.EqualTo((first.Batch, first.Start, first.End)),
            "after a recreate, RAW holds batch 1 only: the next batch is 2 with the same window");
    }

    [Test]
    public void Batch_next_with_a_start_ends_31_days_after_that_start()
    {
        using var target = LoadedDuckDb();
        using var data = new TempFolder();
        var result = CliRunner.Run(["generate", "--batch", "next", "--start", "2011-05-01", "--players", "10", "--out", data.Path, .. target.CliArgs]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        var manifest = DatasetManifest.Read(data.File(DatasetManifest.FileName));
        Assert.That((manifest.Settings.Batch, manifest.Settings.Start, manifest.Settings.End), Is.EqualTo((2, "2011-05-01", "2011-05-31")));
    }

    [TestCase("duckdb")]
    [TestCase("postgres")]
    public void A_manifest_whose_row_count_differs_from_the_file_is_refused(string warehouse)
    {
        if (warehouse == "postgres") PostgresTestServer.Require();
        using WarehouseTarget target = warehouse == "duckdb" ? new DuckDbTarget() : new PostgresTarget();
        target.Migrate();
        target.Load(TestDatasets.Batch2, GameData.Loading.LoadMode.Recreate);
        var before = target.Snapshot();
        using var data = TestDatasets.CopyOf(TestDatasets.Small);
        var manifest = File.ReadAllText(data.File(DatasetManifest.FileName));
        File.WriteAllText(data.File(DatasetManifest.FileName), manifest.Replace("\"rows\": 200,", "\"rows\": 201,"));
        Assert.That(File.ReadAllText(data.File(DatasetManifest.FileName)), Does.Contain("\"rows\": 201,"), "the manifest now claims 201 players");

        var result = CliRunner.Run(["load", "--mode", "recreate", "--data", data.Path, .. target.CliArgs]);

        AssertOneLineError(result, 2, "raw_players.csv holds 200 rows; manifest.json says 201");
        Assert.That(target.Snapshot(), Is.EqualTo(before), "nothing was loaded");
        Assert.That(target.Scalar<long>($"SELECT count(*) FROM {target.Settings.Schema}._LOADS WHERE PLAYERS_INSERTED = 201"), Is.Zero);
    }

    [TestCase("duckdb")]
    [TestCase("postgres")]
    public void The_counts_reported_and_recorded_are_what_the_warehouse_inserted(string warehouse)
    {
        if (warehouse == "postgres") PostgresTestServer.Require();
        using WarehouseTarget target = warehouse == "duckdb" ? new DuckDbTarget() : new PostgresTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, GameData.Loading.LoadMode.Recreate);

        var result = CliRunner.Run(["load", "--mode", "append", "--data", TestDatasets.Batch2, .. target.CliArgs]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Match(@"RAW_PLAYERS\s+300 inserted\s+0 skipped"));
        var ledger = target.Rows($"SELECT PLAYERS_INSERTED, SESSIONS_INSERTED, EVENTS_INSERTED FROM {target.Settings.Schema}._LOADS WHERE MODE = 'append'").Single();
        var s = target.Settings.Schema;
        Assert.That(ledger.Select(Convert.ToInt64), Is.EqualTo(new[]
        {
            target.Scalar<long>($"SELECT count(*) FROM {s}.RAW_PLAYERS WHERE _BATCH_ID = 2"),
            target.Scalar<long>($"SELECT count(*) FROM {s}.RAW_SESSIONS WHERE _BATCH_ID = 2"),
            target.Scalar<long>($"SELECT count(*) FROM {s}.RAW_GAME_EVENTS WHERE _BATCH_ID = 2"),
        }));
    }

    [Test]
    public void A_long_PostgreSQL_copy_shows_its_progress()
    {
        PostgresTestServer.Require();
        using var target = new PostgresTarget();
        target.Migrate();
        // Batch 2's events file is over 10 MB: every tenth of it is a line.
        var result = CliRunner.Run(["load", "--data", TestDatasets.Batch2, .. target.CliArgs]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("raw_game_events.csv: 50 % sent"));
    }

    [Test]
    public void A_line_over_2_MB_loads_into_DuckDB()
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        using var data = LongLineDataset.Make();

        var result = CliRunner.Run(["load", "--data", data.Path, .. target.CliArgs]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(target.Scalar<long>($"SELECT max(length(GAME_VERSION)) FROM {target.Settings.Schema}.RAW_GAME_EVENTS"), Is.EqualTo(LongLineDataset.VersionLength));
    }

    private static ManifestSettings NextBatchSettings(WarehouseTarget target)
    {
        using var data = new TempFolder();
        var result = CliRunner.Run(["generate", "--batch", "next", "--players", "1", "--out", data.Path, .. target.CliArgs]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        return DatasetManifest.Read(data.File(DatasetManifest.FileName)).Settings;
    }

    private static DuckDbTarget LoadedDuckDb()
    {
        var target = new DuckDbTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, GameData.Loading.LoadMode.Recreate);
        return target;
    }

    private static void AssertOneLineError(CliResult result, int exitCode, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), $"stdout: {result.StdOut}\nstderr: {result.StdErr}");
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.StartWith("error: ").And.Contain(message));
        Assert.That(result.StdOut + result.StdErr, Does.Not.Contain(Secret), "no password in any output");
    }
}
