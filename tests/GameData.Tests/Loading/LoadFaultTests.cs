using System.Diagnostics;
using GameData.Loading;
using Npgsql;

namespace GameData.Tests.Loading;

/// <summary>
/// A load that dies part-way leaves the RAW tables exactly as they were, and a re-run completes with no
/// duplicates: the DuckDB loading process is killed at several points; the PostgreSQL backend is
/// terminated during COPY. Kills at every moment of the commit are <see cref="KillSweepTests"/>.
/// </summary>
public class LoadFaultTests
{
    // Lines the load prints as it goes; the test kills the process when one appears (plus a delay).
    [TestCase("removing the previous rows", 0, TestName = "Killed while deleting the previous rows")]
    [TestCase("raw_sessions.csv: loading", 0, TestName = "Killed after the players were inserted")]
    [TestCase("raw_game_events.csv: loading", 300, TestName = "Killed in the middle of the events insert")]
    [TestCase("raw_game_events.csv: loading", 1200, TestName = "Killed late in the events insert")]
    public void DuckDb_load_killed_part_way_leaves_the_previous_state(string line, int delayMs)
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        var before = target.Snapshot();

        var output = KillWhenPrinted(["load", "--mode", "recreate", "--data", TestDatasets.Large, .. target.CliArgs], line, delayMs);

        Assert.That(output, Does.Contain(line), "the kill point was reached");
        Assert.That(output, Does.Not.Contain("Loaded "), "killed before the load finished");
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

        var load = Task.Run(() => target.Load(TestDatasets.Large, LoadMode.Recreate));
        var terminated = TerminateWhenCopying(application, load);

        Assert.That(terminated, Is.True, "a COPY was seen and terminated");
        var error = Assert.Throws<AggregateException>(() => load.Wait())!.InnerException;
        Assert.That(error, Is.TypeOf<WarehouseException>());
        Assert.That(error!.Message, Does.Contain("terminated").Or.Contain("lost"));
        Assert.That(target.Snapshot(), Is.EqualTo(before));
        AssertRerunCompletes(target);
    }

    private static (long, long, long) LargeCounts()
    {
        var manifest = GameData.Generation.DatasetManifest.Read(Path.Combine(TestDatasets.Large, "manifest.json"));
        return (manifest.Files["raw_players.csv"].Rows, manifest.Files["raw_sessions.csv"].Rows, manifest.Files["raw_game_events.csv"].Rows);
    }

    private static void AssertRerunCompletes(WarehouseTarget target)
    {
        target.Load(TestDatasets.Large, LoadMode.Recreate);
        Assert.That(target.Counts(), Is.EqualTo(LargeCounts()));
        target.AssertNoDuplicates();
    }

    /// <summary>Runs the CLI and kills it (the whole process, no clean-up) once it prints <paramref name="line"/>.</summary>
    private static string KillWhenPrinted(string[] args, string line, int delayMs)
    {
        using var process = CliRunner.Start(args);
        var seen = new List<string>();
        while (process.StandardOutput.ReadLine() is { } output)
        {
            seen.Add(output);
            if (!output.Contains(line, StringComparison.Ordinal)) continue;
            Thread.Sleep(delayMs);
            process.Kill(entireProcessTree: true);
            break;
        }
        process.WaitForExit(30_000);
        return string.Join("\n", seen);
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
