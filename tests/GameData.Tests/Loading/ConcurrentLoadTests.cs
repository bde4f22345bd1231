using GameData.Loading;

namespace GameData.Tests.Loading;

/// <summary>Two loads started at once into the same target never produce duplicates: the second waits its turn.</summary>
[Parallelizable(ParallelScope.Self)]
public class ConcurrentLoadTests
{
    [Test]
    public void Two_DuckDb_loading_processes_take_turns_on_the_file_lock()
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        string[] args = ["load", "--mode", "append", "--data", TestDatasets.Default, .. target.CliArgs];

        using var first = CliRunner.Start(args);
        using var second = CliRunner.Start(args);
        var outputs = new[] { first, second }.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToArray();
        first.WaitForExit(120_000);
        second.WaitForExit(120_000);

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), outputs[0].Err.Result + outputs[1].Err.Result);
        Assert.That(target.Counts(), Is.EqualTo((2000L, 6106L, 228220L)));
        target.AssertNoDuplicates();
        var stdout = outputs[0].Out.Result + outputs[1].Out.Result;
        Assert.That(stdout, Does.Contain("Loaded 236,326 rows").And.Contain("Nothing new"), "one inserted everything, the other nothing");
    }

    [Test]
    public void Two_Postgres_loads_take_turns_on_the_advisory_lock()
    {
        PostgresTestServer.Require();
        using var target = new PostgresTarget();
        target.Migrate();

        var loads = Enumerable.Range(0, 2).Select(_ => Task.Run(() => target.Load(TestDatasets.Batch2, LoadMode.Append))).ToArray();
        Task.WaitAll(loads);

        Assert.That(loads.Sum(l => l.Result.Inserted), Is.EqualTo(34_226));
        Assert.That(target.Counts(), Is.EqualTo((300L, 901L, 33025L)));
        target.AssertNoDuplicates();
    }

    [Test]
    public void Recreate_racing_append_on_Postgres_ends_with_one_batch_and_no_duplicates()
    {
        PostgresTestServer.Require();
        using var target = new PostgresTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);

        // Either order ends with batch 2 alone: a recreate first, then an append of the same rows adds nothing; an append
        // first, then the recreate replaces everything.
        Task.WaitAll(Task.Run(() => target.Load(TestDatasets.Batch2, LoadMode.Recreate)), Task.Run(() => target.Load(TestDatasets.Batch2, LoadMode.Append)));

        Assert.That(target.Counts(), Is.EqualTo((300L, 901L, 33025L)));
        target.AssertNoDuplicates();
    }
}
