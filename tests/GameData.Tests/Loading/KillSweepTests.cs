using System.Diagnostics;
using GameData.Loading;

namespace GameData.Tests.Loading;

/// <summary>
/// A load killed with SIGKILL at any moment leaves exactly the previous state or exactly the new one:
/// kill points spread over the whole load, and every 10 ms for the first 300 ms after it prints
/// "committing". Each outcome is compared with an uninterrupted run of the same load (row counts,
/// distinct keys, rows per batch and per load, and the ledger), load IDs replaced by their order.
/// </summary>
/// <remarks>
/// The default dataset (228,220 events: more than one DuckDB row group, so DuckDB writes part of the insert
/// to the file before it commits). The fixture runs beside other tests, its cases one after another: a
/// busier machine only moves where the kills land.
/// </remarks>
[Parallelizable(ParallelScope.Self)]
public class KillSweepTests
{
    private static readonly int[] AfterCommitMs = Enumerable.Range(0, 30).Select(i => i * 10).ToArray();
    private static readonly double[] AcrossTheLoad = [0.05, 0.22, 0.39, 0.56, 0.73, 0.90];

    [TestCase("duckdb", "recreate")]
    [TestCase("duckdb", "append")]
    [TestCase("postgres", "recreate")]
    [TestCase("postgres", "append")]
    public void A_load_killed_anywhere_leaves_the_old_state_or_the_new_one(string warehouse, string mode)
    {
        if (warehouse == "postgres") PostgresTestServer.Require();
        // Append adds batch 2 (new keys) to batch 1; recreate replaces the small batch 1 with a larger batch.
        // PostgreSQL's commit is atomic by design: a smaller batch keeps its sweep short.
        var dataset = warehouse == "postgres" ? TestDatasets.Batch2 : mode == "append" ? TestDatasets.DefaultBatch2 : TestDatasets.Default;
        string[] Load(WarehouseTarget t) => ["load", "--mode", mode, "--data", dataset, .. t.CliArgs];

        using var template = Prepared(warehouse);
        var oldState = Normalised(template);
        var (newState, duration) = Reference(template, Load);
        Assert.That(newState, Is.Not.EqualTo(oldState));

        var points = AcrossTheLoad.Select(f => (Line: "Loading batch", Delay: (int)(duration.TotalMilliseconds * f)))
            .Concat(AfterCommitMs.Select(ms => (Line: "committing", Delay: ms)));
        var outcomes = new List<string>();
        foreach (var (line, delay) in points)
        {
            using var target = Prepared(warehouse, template);
            var killed = KillAfter(Load(target), line, delay);
            var state = Normalised(target);
            var outcome = state == oldState ? "old" : state == newState ? "new" : $"NEITHER: {state}";
            outcomes.Add($"{line} + {delay} ms: {outcome}{(killed ? "" : " (had finished)")}");
            if (!killed && line == "committing") break; // later kill points cannot land inside the load any more
        }
        TestContext.Out.WriteLine(string.Join("\n", outcomes));
        Assert.That(outcomes.Where(o => o.Contains("NEITHER")), Is.Empty, "every kill leaves the old state or the new one");
        Assert.That(outcomes.Count(o => o.EndsWith(": old")), Is.Positive, "some kills landed before the commit");

        // Whatever a kill left, the next load runs and ends with the same rows as an uninterrupted one.
        using var rerun = Prepared(warehouse, template);
        KillAfter(Load(rerun), "committing", 30);
        rerun.Load(dataset, mode == "append" ? LoadMode.Append : LoadMode.Recreate);
        Assert.That(Rows(Normalised(rerun)), Is.EqualTo(Rows(newState)), "a re-run after a kill converges");
    }

    /// <summary>The state after an uninterrupted run on a copy of the template, and how long its load took (from "Loading batch").</summary>
    private static (string New, TimeSpan Duration) Reference(WarehouseTarget template, Func<WarehouseTarget, string[]> load)
    {
        using var target = Prepared(template.Settings.Kind == GameData.Warehouses.WarehouseKind.DuckDb ? "duckdb" : "postgres", template);
        using var process = CliRunner.Start(load(target));
        var stderr = process.StandardError.ReadToEndAsync();
        Stopwatch? clock = null;
        while (process.StandardOutput.ReadLine() is { } line)
            if (clock is null && line.Contains("Loading batch", StringComparison.Ordinal)) clock = Stopwatch.StartNew();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        return (Normalised(target), clock!.Elapsed);
    }

    /// <summary>A target holding the small batch 1: DuckDB copies the template's file; PostgreSQL loads a schema afresh.</summary>
    private static WarehouseTarget Prepared(string warehouse, WarehouseTarget? template = null)
    {
        if (warehouse == "duckdb")
        {
            var copy = new DuckDbTarget();
            if (template is not null)
            {
                File.Copy(template.Settings.DuckDbPath, copy.Settings.DuckDbPath);
                return copy;
            }
            copy.Migrate();
            copy.Load(TestDatasets.Small, LoadMode.Recreate);
            return copy;
        }
        var target = new PostgresTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        return target;
    }

    /// <summary>
    /// Per table: rows, distinct keys, and rows per load and batch; then the ledger's succeeded loads by mode
    /// and batch. Load IDs are replaced by their order in the ledger (load0, load1).
    /// </summary>
    private static string Normalised(WarehouseTarget target)
    {
        var s = target.Settings.Schema;
        // One snapshot: read in several, a commit the server completes after the kill could land between reads.
        var results = target.RowsInOneSnapshot(RawSchema.Tables.Select(t => $"{s}.{t.Name}").Append($"{s}._LOADS"), [
            $"SELECT LOAD_ID, MODE, BATCH_ID FROM {s}._LOADS WHERE STATUS = 'succeeded' ORDER BY STARTED_AT",
            .. RawSchema.Tables.SelectMany(t => new[]
            {
                $"SELECT count(*), count(DISTINCT {t.Key}) FROM {s}.{t.Name}",
                $"SELECT _LOAD_ID, _BATCH_ID, count(*) FROM {s}.{t.Name} GROUP BY 1, 2 ORDER BY 1, 2",
            }),
        ]);
        var ledger = results[0].Select(r => (Id: (string)r[0]!, Mode: (string)r[1]!, Batch: Convert.ToInt32(r[2]))).ToList();
        string Name(string loadId) => ledger.FindIndex(l => l.Id == loadId) is var i and >= 0 ? $"load{i}" : $"unknown:{loadId}";
        var tables = RawSchema.Tables.Select((t, i) =>
        {
            var totals = results[1 + 2 * i].Single();
            // Sorted by the loads' order, not their IDs: two loads in the same second sort by their random suffix.
            var byLoad = results[2 + 2 * i].Select(r => $"{Name((string)r[0]!)}/b{r[1]}={r[2]}").Order(StringComparer.Ordinal);
            return $"{t.Name}: {totals[0]} rows, {totals[1]} keys, {string.Join(" ", byLoad)}";
        });
        return string.Join("; ", tables.Append("ledger: " + string.Join(" ", ledger.Select(l => $"{l.Mode}/b{l.Batch}"))));
    }

    /// <summary>The tables' part of a normalised state: rows and keys, without which load they came from.</summary>
    private static string Rows(string normalised) =>
        string.Join("; ", normalised.Split("; ").Where(p => !p.StartsWith("ledger")).Select(p => string.Join(',', p.Split(',')[..2])));

    /// <summary>
    /// Starts the CLI and kills it (SIGKILL, no clean-up) <paramref name="delayMs"/> after it prints <paramref name="line"/>.
    /// Returns false when it finished before the kill.
    /// </summary>
    private static bool KillAfter(string[] args, string line, int delayMs)
    {
        using var process = CliRunner.Start(args);
        _ = process.StandardError.ReadToEndAsync();
        var killed = false;
        while (process.StandardOutput.ReadLine() is { } output)
        {
            if (!output.Contains(line, StringComparison.Ordinal)) continue;
            if (process.WaitForExit(delayMs)) break;
            process.Kill(entireProcessTree: true);
            killed = true;
            break;
        }
        process.WaitForExit(60_000);
        return killed;
    }
}
