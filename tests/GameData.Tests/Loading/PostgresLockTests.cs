using System.Diagnostics;
using GameData.Loading;
using Npgsql;

namespace GameData.Tests.Loading;

/// <summary>
/// A second PostgreSQL load while another holds the schema: it takes the per-schema advisory lock before it
/// reads anything, says it is waiting, and on timeout names the lock. <c>--lock-timeout 0</c> does not wait.
/// The other load is played by a test connection holding the advisory lock and, like a recreate in
/// progress, an exclusive lock on RAW_PLAYERS.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class PostgresLockTests
{
    /// <summary>
    /// The Snowflake functions go into public, shared by every schema of the database: students migrating their
    /// own schemas at the same moment must not fail each other with "tuple concurrently updated".
    /// </summary>
    [Test]
    public void Migrations_of_many_schemas_of_one_database_at_once_all_succeed()
    {
        PostgresTestServer.Require();
        var targets = Enumerable.Range(0, 8).Select(_ => new PostgresTarget()).ToList();
        try
        {
            using var start = new Barrier(targets.Count);
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            var threads = targets.Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                try { t.Migrate(); }
                catch (Exception e) { failures.Add(e.Message); }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.That(failures, Is.Empty);
            Assert.That(targets.Select(t => t.Migrate().Pending), Has.All.Empty);
        }
        finally
        {
            targets.ForEach(t => t.Dispose());
        }
    }

    [Test]
    public void A_load_behind_a_recreate_times_out_naming_the_lock_not_the_server()
    {
        using var target = LoadedTarget();
        using var other = HoldLikeARecreate(target);

        var clock = Stopwatch.StartNew();
        var result = CliRunner.Run(["load", "--mode", "append", "--lock-timeout", "3", "--data", TestDatasets.Batch2, .. target.CliArgs]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut + result.StdErr);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "gave up after the lock timeout, not a network timeout");
        Assert.That(result.StdOut, Does.Contain("waiting"));
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.Contain($"gamedata:{target.Settings.Schema}").And.Contain("3 s").And.Not.Contain("cannot reach"));
    }

    [Test]
    public void A_load_behind_another_runs_once_it_finishes()
    {
        using var target = LoadedTarget();
        var other = HoldLikeARecreate(target);

        // The other load finishes once this one says it is waiting (not after a fixed time: a slow start would miss it).
        using var process = CliRunner.Start(["load", "--mode", "append", "--lock-timeout", "60", "--data", TestDatasets.Batch2, .. target.CliArgs]);
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            output.AppendLine(line);
            if (line.Contains("waiting", StringComparison.Ordinal)) other.Dispose();
        }
        other.Dispose();
        process.WaitForExit();

        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        Assert.That(output.ToString(), Does.Contain("waiting").And.Contain("Loaded"));
        Assert.That(target.Counts(), Is.EqualTo((500L, 1523L, 56231L)));
    }

    [Test]
    public void Lock_timeout_zero_does_not_wait()
    {
        using var target = LoadedTarget();
        using var other = HoldLikeARecreate(target);
        var before = Stopwatch.StartNew();

        using var process = CliRunner.Start(["load", "--mode", "append", "--lock-timeout", "0", "--data", TestDatasets.Batch2, .. target.CliArgs]);
        var stderr = process.StandardError.ReadToEndAsync();
        var finished = process.WaitForExit(15_000);
        if (!finished) process.Kill(entireProcessTree: true);

        Assert.That(finished, Is.True, "--lock-timeout 0 returned instead of waiting forever");
        Assert.That(process.ExitCode, Is.EqualTo(1));
        Assert.That(stderr.Result, Does.Contain($"gamedata:{target.Settings.Schema}"));
        Assert.That(before.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [TestCase("-1")]
    [TestCase("abc")]
    public void Lock_timeout_that_is_not_a_whole_number_of_seconds_is_refused(string value)
    {
        var result = CliRunner.Run(["load", "--mode", "append", "--lock-timeout", value, "--data", TestDatasets.Small]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.StdErr);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.Contain("--lock-timeout"));
    }

    /// <summary>
    /// What the README says of a recreate: TRUNCATE's exclusive lock makes every reader of RAW wait until the recreate
    /// ends. The load is held inside its transaction (after the TRUNCATE, before the events), then killed: the reader
    /// then sees the old rows at once.
    /// </summary>
    [Test]
    public void A_recreate_makes_a_reader_of_RAW_wait_until_it_ends()
    {
        using var target = LoadedTarget();
        using var reader = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        reader.Open();
        using var count = new NpgsqlCommand($"SET statement_timeout = '1s'; SELECT count(*) FROM {target.Settings.Schema}.RAW_PLAYERS", reader);

        KillSweepTests.KillAt(["load", "--mode", "recreate", "--data", TestDatasets.Batch2, .. target.CliArgs],
            "raw_game_events.csv: copying", whileHeld: () => Assert.That(() => count.ExecuteScalar(),
                Throws.TypeOf<PostgresException>().With.Property("SqlState").EqualTo("57014"),
                "a plain count waited past 1 s (cancelled by statement_timeout)"));

        count.CommandText = $"SET statement_timeout = '60s'; SELECT count(*) FROM {target.Settings.Schema}.RAW_PLAYERS";
        Assert.That(count.ExecuteScalar(), Is.EqualTo(200L), "the recreate ended with its process: the old rows");
    }

    private static PostgresTarget LoadedTarget()
    {
        PostgresTestServer.Require();
        var target = new PostgresTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        return target;
    }

    /// <summary>What a recreate holds part-way: the schema's advisory lock and RAW_PLAYERS truncated (exclusive lock).</summary>
    private static NpgsqlConnection HoldLikeARecreate(PostgresTarget target)
    {
        var connection = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            $"BEGIN; SELECT pg_advisory_xact_lock(hashtext('gamedata:{target.Settings.Schema}')); LOCK TABLE {target.Settings.Schema}.RAW_PLAYERS IN ACCESS EXCLUSIVE MODE;",
            connection);
        command.ExecuteNonQuery();
        return connection;
    }
}
