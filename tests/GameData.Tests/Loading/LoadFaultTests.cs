using System.Diagnostics;
using GameData.Loading;
using Npgsql;

namespace GameData.Tests.Loading;

/// <summary>
/// A load that dies part-way leaves the RAW tables exactly as they were, and a re-run completes with no
/// duplicates: the DuckDB loading process is killed while it writes the events into its copy; the PostgreSQL
/// backend is terminated during COPY. Kills at every named step (deleting the previous rows, each table, the commit,
/// the checkpoint, the rename) and a re-run after one are <see cref="KillSweepTests"/>.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class LoadFaultTests
{
    [Test]
    public void DuckDb_load_killed_while_it_writes_the_events_leaves_the_previous_state()
    {
        using var target = PreviouslyLoaded();
        var before = target.Snapshot();
        var folder = Path.GetDirectoryName(target.Settings.DuckDbPath)!;

        using var process = CliRunner.Start(Load(target));
        while (process.StandardOutput.ReadLine() is { } line && !line.Contains("raw_game_events.csv: loading", StringComparison.Ordinal)) { }
        // The event: DuckDB has written part of the events' insert (more than a row group) into its copy of the file.
        var start = CopySize(folder);
        var clock = Stopwatch.StartNew();
        while (CopySize(folder) < start + 4_000_000 && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
        var written = CopySize(folder) - start;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(30_000);

        Assert.That(written, Is.GreaterThanOrEqualTo(4_000_000), "killed while the events were being written");
        Assert.That(target.Snapshot(), Is.EqualTo(before));
        AssertRerunCompletes(target);
    }

    [Test]
    public void Postgres_backend_terminated_during_copy_leaves_the_previous_state()
    {
        PostgresTestServer.Require();
        var application = "gamedata-fault-" + Guid.NewGuid().ToString("N")[..8];
        using var target = new PostgresTarget(application);
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        var before = target.Snapshot();

        var load = Task.Run(() => target.Load(TestDatasets.Medium, LoadMode.Recreate));
        var terminated = TerminateWhenCopying(application, load);

        Assert.That(terminated, Is.True, "a COPY was seen and terminated");
        var error = Assert.Throws<AggregateException>(() => load.Wait())!.InnerException;
        Assert.That(error, Is.TypeOf<WarehouseException>());
        Assert.That(error!.Message, Does.Contain("terminated").Or.Contain("lost"));
        Assert.That(target.Snapshot(), Is.EqualTo(before));
        AssertRerunCompletes(target);
    }

    private static DuckDbTarget PreviouslyLoaded()
    {
        var target = new DuckDbTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        return target;
    }

    private static string[] Load(WarehouseTarget target) => ["load", "--mode", "recreate", "--data", TestDatasets.Medium, .. target.CliArgs];

    /// <summary>The size of the load's copy of the DuckDB file and its write-ahead log.</summary>
    private static long CopySize(string folder) =>
        Directory.GetFiles(folder, ".warehouse.duckdb.*.tmp*").Sum(f => { try { return new FileInfo(f).Length; } catch (IOException) { return 0; } });

    private static (long, long, long) MediumCounts()
    {
        var manifest = GameData.Generation.DatasetManifest.Read(Path.Combine(TestDatasets.Medium, "manifest.json"));
        return (manifest.Files["raw_players.csv"].Rows, manifest.Files["raw_sessions.csv"].Rows, manifest.Files["raw_game_events.csv"].Rows);
    }

    private static void AssertRerunCompletes(WarehouseTarget target)
    {
        target.Load(TestDatasets.Medium, LoadMode.Recreate);
        Assert.That(target.Counts(), Is.EqualTo(MediumCounts()));
        target.AssertNoDuplicates();
    }

    private static bool TerminateWhenCopying(string application, Task load)
    {
        using var admin = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        admin.Open();
        var clock = Stopwatch.StartNew();
        while (!load.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var command = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @app AND query ILIKE 'COPY %raw_game_events%' AND state = 'active'", admin);
            command.Parameters.AddWithValue("app", application);
            if (command.ExecuteScalar() is true) return true;
            Thread.Sleep(20);
        }
        return false;
    }
}
