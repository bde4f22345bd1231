using GameData.Loading;

namespace GameData.Tests.Loading;

/// <summary>
/// A load killed with SIGKILL at any step leaves exactly the previous state or exactly the new one. The kill points
/// are the load's own steps, as it prints them (copying, each table, a file half sent, committing, the checkpoint,
/// the rename, committed): the CLI holds at a named step (<c>GAMEDATA_TEST_PAUSE_AT</c>) and is killed
/// there, so every step is hit, whatever the machine's speed. Each outcome is compared with an uninterrupted run of
/// the same load (row counts, distinct keys, rows per batch and per load, and the ledger), load IDs replaced by their
/// order.
/// </summary>
/// <remarks>
/// DuckDB loads a dataset just above one row group of events (122,880 rows), so DuckDB writes part of the insert to
/// the file before it commits; PostgreSQL's commit is atomic by design, so batch 2 keeps its sweep short.
/// </remarks>
[Parallelizable(ParallelScope.Children)]
public class KillSweepTests
{
    [TestCase("duckdb", "recreate")]
    [TestCase("duckdb", "append")]
    [TestCase("postgres", "recreate")]
    [TestCase("postgres", "append")]
    public void A_load_killed_at_any_step_leaves_the_old_state_or_the_new_one(string warehouse, string mode)
    {
        if (warehouse == "postgres") PostgresTestServer.Require();
        // Append adds batch 2 (new keys) to batch 1; recreate replaces the tiny batch 1 with a larger one.
        var dataset = warehouse == "postgres" ? TestDatasets.Batch2 : mode == "append" ? TestDatasets.OneRowGroupBatch2 : TestDatasets.OneRowGroup;
        string[] Load(WarehouseTarget t) => ["load", "--mode", mode, "--data", dataset, .. t.CliArgs];

        using var template = Prepared(warehouse);
        var oldState = Normalised(template);
        var (newState, steps) = Reference(template, Load);
        Assert.That(newState, Is.Not.EqualTo(oldState));
        Assert.That(steps, Does.Contain("committing"));

        // Whatever a kill left, the next load runs and ends with the same rows as an uninterrupted one. The load
        // killed as DuckDB writes the committed copy (a large copy left behind) or as PostgreSQL commits is run again.
        var rerunAfter = warehouse == "duckdb" ? "writing the committed copy to disk" : "committing";
        var rerunRows = "";
        var outcomes = new List<string>();
        foreach (var step in KillPoints(steps))
        {
            using var target = Prepared(warehouse, template);
            KillAt(Load(target), step);
            var state = Normalised(target);
            outcomes.Add($"{step}: {(state == oldState ? "old" : state == newState ? "new" : $"NEITHER: {state}")}");
            if (!step.StartsWith(rerunAfter, StringComparison.Ordinal)) continue;
            target.Load(dataset, mode == "append" ? LoadMode.Append : LoadMode.Recreate);
            rerunRows = Rows(Normalised(target));
        }
        TestContext.Out.WriteLine(string.Join("\n", outcomes));
        Assert.That(outcomes.Where(o => o.Contains("NEITHER")), Is.Empty, "every kill leaves the old state or the new one");
        Assert.That(outcomes.Count(o => o.EndsWith(": old")), Is.Positive, "kills before the commit leave the old state");
        if (warehouse == "postgres") Assert.That(outcomes.Last(), Is.EqualTo("committed: new"), "a kill after the commit leaves the new state");
        Assert.That(rerunRows, Is.EqualTo(Rows(newState)), $"a re-run after a kill at '{rerunAfter}' converges");
    }

    [Test]
    public void A_DuckDB_load_replaces_the_file_whole_and_never_writes_into_the_one_open_before()
    {
        // Why a kill can never tear the file: the loaded copy is renamed into place; the old file is not written.
        using var target = Prepared("duckdb");
        var path = target.Settings.DuckDbPath;
        var before = File.ReadAllBytes(path);
        using var opened = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        target.Load(TestDatasets.Batch2, LoadMode.Append);

        using var rest = new MemoryStream();
        opened.CopyTo(rest);
        Assert.That(rest.ToArray(), Is.EqualTo(before), "the file open before the load still holds exactly the old bytes");
        Assert.That(target.Counts().Players, Is.EqualTo(20 + 300), "and the path holds the loaded one");
    }

    [Test]
    public void A_killed_CLI_leaves_nothing_behind_in_the_temporary_folder()
    {
        // A .NET process makes its diagnostic pipes and socket in the temporary folder and removes them on the way out,
        // which a SIGKILL never reaches: hundreds of kills per run would each leave three files behind.
        using var target = Prepared("duckdb");
        var started = DateTime.UtcNow.AddSeconds(-1);

        var pid = KillAt(["load", "--mode", "recreate", "--data", TestDatasets.Tiny, .. target.CliArgs], "copying the DuckDB file");

        // Named by process ID: those of an earlier process with the same ID are older.
        var left = Directory.EnumerateFiles(Path.GetTempPath(), $"*-{pid}-*").Where(f => File.GetLastWriteTimeUtc(f) >= started);
        Assert.That(left.Select(Path.GetFileName), Is.Empty);
    }

    /// <summary>The state after an uninterrupted run on a copy of the template, and the steps its load printed.</summary>
    private static (string New, List<string> Steps) Reference(WarehouseTarget template, Func<WarehouseTarget, string[]> load)
    {
        using var target = Prepared(template.Settings.Provider.Name == "duckdb" ? "duckdb" : "postgres", template);
        var result = CliRunner.Run(load(target));
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        // The lines between "Loading batch ..." and the table of rows inserted, without their time.
        var steps = result.StdOut.Split('\n').SkipWhile(l => !l.Contains("Loading batch", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.Contains(" inserted ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(' ') + 1)..].Trim()).Where(l => l.Length > 0).Distinct().ToList();
        return (Normalised(target), steps);
    }

    /// <summary>
    /// Every step the load printed, except where several are points inside the same transaction before its commit: of
    /// the previous rows' removal and the files' inserts only the last file's insert (the events, the largest) is kept,
    /// and of its progress lines ("N % sent") only the middle one. A kill there covers a transaction cut off mid-way, as
    /// a kill at an earlier of those steps would.
    /// </summary>
    private static IEnumerable<string> KillPoints(List<string> steps)
    {
        var inserts = steps.Where(s => s.Contains(" rows into RAW_", StringComparison.Ordinal)).ToList();
        var progress = steps.Where(s => s.EndsWith("% sent", StringComparison.Ordinal)).ToList();
        return steps.Where(s => !s.StartsWith("removing the previous rows", StringComparison.Ordinal)
                                && (!inserts.Contains(s) || s == inserts[^1]) && (!progress.Contains(s) || s == progress[progress.Count / 2]));
    }

    /// <summary>A target holding a tiny batch 1: DuckDB copies the template's file; PostgreSQL loads a schema afresh.</summary>
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
            copy.Load(TestDatasets.Tiny, LoadMode.Recreate);
            return copy;
        }
        var target = new PostgresTarget();
        target.Migrate();
        target.Load(TestDatasets.Tiny, LoadMode.Recreate);
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
    /// Starts the CLI (with <paramref name="environment"/>, if given) held at the first step that begins with
    /// <paramref name="step"/>, runs <paramref name="whileHeld"/> (if given) while it is held there, and kills it
    /// (SIGKILL, no clean-up). Returns the killed process's ID.
    /// </summary>
    internal static int KillAt(string[] args, string step, IReadOnlyDictionary<string, string?>? environment = null,
        Action? whileHeld = null)
    {
        using var process = CliRunner.Start(args, new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["GAMEDATA_TEST_PAUSE_AT"] = step,
        });
        var stderr = process.StandardError.ReadToEndAsync();
        var reached = false;
        try
        {
            while (process.StandardOutput.ReadLine() is { } output)
                if (output.Contains("  " + step, StringComparison.Ordinal))
                {
                    reached = true;
                    break;
                }
            if (reached) whileHeld?.Invoke();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(60_000);
        }
        Assert.That(reached, Is.True, $"the load reached '{step}' ({stderr.Result})");
        return process.Id;
    }
}
