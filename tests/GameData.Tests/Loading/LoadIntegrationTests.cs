using GameData.Generation;
using GameData.Loading;
using GameData.Migrations;
using GameData.Settings;

namespace GameData.Tests.Loading;

/// <summary>MigrateRaw and Load against a real DuckDB file and a real PostgreSQL server.</summary>
[TestFixture("duckdb")]
[TestFixture("postgres")]
[Parallelizable(ParallelScope.Children)]
public class LoadIntegrationTests(string warehouse)
{
    /// <summary>Every migration script of this warehouse, in the order DbUp applies them.</summary>
    private string[] Scripts => Directory.GetFiles(Path.Combine(WarehouseTarget.MigrationsFolder, warehouse), "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private WarehouseTarget NewTarget()
    {
        if (warehouse == "postgres") PostgresTestServer.Require();
        return warehouse == "duckdb" ? new DuckDbTarget() : new PostgresTarget();
    }

    [Test]
    public void Migrate_twice_is_a_no_op_and_the_journal_records_checksums()
    {
        using var target = NewTarget();
        var first = target.Migrate();
        var second = target.Migrate();
        Assert.That(first.Pending, Is.EqualTo(Scripts));
        Assert.That(second.Pending, Is.Empty);
        Assert.That(second.AlreadyApplied, Is.EqualTo(Scripts));
        var journal = target.Rows($"SELECT script_name, checksum FROM {target.Settings.Schema}.schema_versions ORDER BY script_name");
        Assert.That(journal.Select(r => ((string)r[0]!, (string)r[1]!)), Is.EqualTo(Scripts.Select(name =>
            (name, ChecksumTableJournal.Checksum(File.ReadAllText(Path.Combine(WarehouseTarget.MigrationsFolder, warehouse, name)))))));
    }

    [Test]
    public void Dry_run_lists_the_scripts_and_changes_nothing()
    {
        using var target = NewTarget();
        var outcome = target.Migrate(dryRun: true);
        Assert.That(outcome.Pending, Is.EqualTo(Scripts));
        if (warehouse == "duckdb")
        {
            Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(target.Settings.DuckDbPath)!), Is.Empty, "not even the DuckDB file was created");
            return;
        }
        using var opened = target.Open();
        Assert.That(opened.ReadState(), Is.Null, "no RAW tables after a dry run");
    }

    [Test]
    public void An_applied_script_that_was_edited_is_reported_by_name()
    {
        using var target = NewTarget();
        using var migrations = new TempFolder();
        var dialect = Path.Combine(migrations.Path, warehouse);
        Directory.CreateDirectory(dialect);
        File.Copy(Path.Combine(WarehouseTarget.MigrationsFolder, warehouse, "0001_raw_tables.sql"), Path.Combine(dialect, "0001_raw_tables.sql"));
        target.Migrate(migrations: migrations.Path);
        File.AppendAllText(Path.Combine(dialect, "0001_raw_tables.sql"), "\n-- a later edit\n");
        File.WriteAllText(Path.Combine(dialect, "0002_more.sql"), $"CREATE TABLE {target.Settings.Schema}.EXTRA (X INTEGER);\n");

        var error = Assert.Throws<MigrationException>(() => target.Migrate(migrations: migrations.Path));

        Assert.That(error!.Message, Does.Contain("migration 0001_raw_tables.sql was edited after it was applied"));
        Assert.That(target.Scalar<long>($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{target.Settings.Schema}' AND upper(table_name) = 'EXTRA'"),
            Is.Zero, "nothing ran");
    }

    [Test]
    public void Recreate_loads_the_default_dataset()
    {
        using var target = NewTarget();
        target.Migrate();
        var counts = target.Load(TestDatasets.Default, LoadMode.Recreate);
        Assert.That(target.Counts(), Is.EqualTo((2000L, 6106L, 228220L)));
        Assert.That((counts.Players.Inserted, counts.Sessions.Inserted, counts.Events.Inserted), Is.EqualTo((2000L, 6106L, 228220L)));
        // Text as delivered; PROPERTIES as JSON.
        var first = target.Rows($"SELECT EVENT_ID, EVENT_TIME, _BATCH_ID FROM {target.Settings.Schema}.RAW_GAME_EVENTS WHERE EVENT_ID = 'event_0'").Single();
        Assert.That(first[0..2], Is.EqualTo(new object[] { "event_0", File.ReadLines(Path.Combine(TestDatasets.Default, DatasetFiles.Events)).ElementAt(1).Split(',')[1] }));
        Assert.That(Convert.ToInt32(first[2]), Is.EqualTo(1));
        var jsonType = warehouse == "duckdb" ? "json_type(PROPERTIES)" : "jsonb_typeof(PROPERTIES)";
        Assert.That(target.Scalar<string>($"SELECT DISTINCT lower({jsonType}) FROM {target.Settings.Schema}.RAW_GAME_EVENTS"), Is.EqualTo("object"));
        target.AssertNoDuplicates();
    }

    [Test]
    public void Append_of_the_same_files_adds_nothing_and_batch_2_adds_exactly_its_rows()
    {
        using var target = NewTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);

        var again = target.Load(TestDatasets.Small, LoadMode.Append);
        Assert.That(again.Inserted, Is.Zero);
        Assert.That((again.Players.Skipped, again.Sessions.Skipped, again.Events.Skipped), Is.EqualTo((200L, 622L, 23206L)));
        Assert.That(target.Counts(), Is.EqualTo((200L, 622L, 23206L)));

        var batch2 = target.Load(TestDatasets.Batch2, LoadMode.Append);
        Assert.That((batch2.Players.Inserted, batch2.Sessions.Inserted, batch2.Events.Inserted), Is.EqualTo((300L, 901L, 33025L)));
        Assert.That(target.Counts(), Is.EqualTo((500L, 1523L, 56231L)));
        Assert.That(target.Scalar<long>($"SELECT count(*) FROM {target.Settings.Schema}.RAW_PLAYERS WHERE _BATCH_ID = 2 AND PLAYER_ID LIKE 'player_2_%'"), Is.EqualTo(300));
        target.AssertNoDuplicates();
    }

    [Test]
    public void Recreate_leaves_exactly_the_new_batch()
    {
        using var target = NewTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        target.Load(TestDatasets.Batch2, LoadMode.Append);
        target.Load(TestDatasets.Batch2, LoadMode.Recreate);
        Assert.That(target.Counts(), Is.EqualTo((300L, 901L, 33025L)));
        Assert.That(target.Scalar<long>($"SELECT count(DISTINCT _LOAD_ID) FROM {target.Settings.Schema}.RAW_GAME_EVENTS"), Is.EqualTo(1));
    }

    [Test]
    public void The_ledger_records_each_load()
    {
        using var target = NewTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        target.Load(TestDatasets.Small, LoadMode.Append);
        var rows = target.Rows($"SELECT BATCH_ID, MODE, PLAYERS_INSERTED, PLAYERS_SKIPPED, EVENTS_INSERTED, EVENTS_SKIPPED, STATUS, " +
                               $"CAST(FILES_SHA256 AS VARCHAR), STARTED_AT <= FINISHED_AT FROM {target.Settings.Schema}._LOADS ORDER BY STARTED_AT");
        Assert.That(rows.Select(r => (Convert.ToInt32(r[0]), (string)r[1]!, Convert.ToInt64(r[2]), Convert.ToInt64(r[3]), Convert.ToInt64(r[4]), Convert.ToInt64(r[5]), (string)r[6]!)),
            Is.EqualTo(new[] { (1, "recreate", 200L, 0L, 23206L, 0L, "succeeded"), (1, "append", 0L, 200L, 0L, 23206L, "succeeded") }));
        var manifest = DatasetManifest.Read(Path.Combine(TestDatasets.Small, DatasetManifest.FileName));
        Assert.That((string)rows[0][7]!, Does.Contain(manifest.Files[DatasetFiles.Events].Sha256));
        Assert.That(rows.All(r => Convert.ToBoolean(r[8])), Is.True);
    }

    [Test]
    public void Without_a_mode_recreate_into_empty_tables_but_refuse_to_overwrite()
    {
        using var target = NewTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, mode: null);
        var before = target.Snapshot();
        var error = Assert.Throws<SettingsException>(() => target.Load(TestDatasets.Batch2, mode: null));
        Assert.That(error!.Message, Does.Contain("--mode recreate").And.Contain("--mode append"));
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Without_a_mode_the_files_the_tables_already_hold_exactly_are_up_to_date()
    {
        using var target = NewTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, mode: null);
        var before = target.Snapshot();

        using (var warehouse = target.Open())
            Assert.That(DatasetLoader.Plan(warehouse, TestDatasets.Small, null, null).UpToDate, Is.True);
        Assert.That(target.Load(TestDatasets.Small, mode: null).Inserted, Is.Zero);
        Assert.That(target.Snapshot(), Is.EqualTo(before), "nothing loaded, not even a ledger row");

        target.Load(TestDatasets.Batch2, LoadMode.Append);
        using (var warehouse = target.Open())
            Assert.Throws<SettingsException>(() => DatasetLoader.Plan(warehouse, TestDatasets.Batch2, null, null), "RAW holds more than batch 2: a mode is needed");
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        using (var warehouse = target.Open())
            Assert.That(DatasetLoader.Plan(warehouse, TestDatasets.Small, LoadMode.Recreate, null).UpToDate, Is.False, "a mode asked for is done");
    }

    [Test]
    public void A_file_changed_after_generation_with_the_same_size_is_refused_and_nothing_changes()
    {
        using var target = NewTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        var before = target.Snapshot();
        using var edited = TestDatasets.CopyOf(TestDatasets.Batch2);
        var path = edited.File(DatasetFiles.Events);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"\"normal\"\"", "\"\"nomral\"\""));

        var error = Assert.Throws<WarehouseException>(() => target.Load(edited.Path, LoadMode.Append));

        Assert.That(error!.Message, Does.StartWith("raw_game_events.csv changed after it was generated"));
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void Next_batch_follows_the_latest_loaded_events()
    {
        using var target = NewTarget();
        target.Migrate();
        using (var empty = target.Open()) Assert.That(NextBatch.After(empty.ReadState()), Is.EqualTo((1, new DateOnly(2011, 1, 13), new DateOnly(2011, 2, 12))));
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        using (var loaded = target.Open()) Assert.That(NextBatch.After(loaded.ReadState()), Is.EqualTo((2, new DateOnly(2011, 2, 13), new DateOnly(2011, 3, 15))));
        target.Load(TestDatasets.Batch2, LoadMode.Append);
        using (var two = target.Open()) Assert.That(NextBatch.After(two.ReadState()), Is.EqualTo((3, new DateOnly(2011, 3, 16), new DateOnly(2011, 4, 15))));
    }
}
