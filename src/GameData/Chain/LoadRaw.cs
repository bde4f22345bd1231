using System.Diagnostics;
using GameData.Loading;
using GameData.Warehouses;

namespace GameData.Chain;

/// <summary>What a load did: its plan, and the rows counted; no counts when the target already held the batch.</summary>
public sealed record LoadOutcome(LoadPlan Plan, LoadCounts? Counts);

/// <summary>Load: a dataset folder into the RAW tables, in one transaction, the target locked; or what that would do (a dry run).</summary>
public static class LoadRaw
{
    /// <param name="ask">Asks a person which mode, when none is given and the tables hold rows; null when there is no one to ask.</param>
    /// <param name="log">What happens, line by line; <paramref name="steps"/>: the load's steps as it reaches them.</param>
    public static LoadOutcome Run(WarehouseSettings settings, string folder, LoadMode? mode, TimeSpan lockTimeout,
        Func<RawState, LoadMode>? ask, Action<string> log, IProgress<string> steps, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var waited = false;
        using var warehouse = Warehouse.Open(settings, message => { waited = true; log(message); }, lockTimeout);
        // The wait for another load's lock is said apart: it is not the load's own time.
        var lockWait = waited ? $", after waiting {clock.Elapsed.TotalSeconds:0.0} s for the lock" : "";
        if (waited) clock.Restart();
        var plan = DatasetLoader.Plan(warehouse, folder, mode, ask);
        if (plan.UpToDate)
        {
            log($"Up to date: {settings.Describe()} already holds exactly batch {plan.Batch} from {plan.DataDirectory} " +
                "(give --mode recreate or append to load it again).");
            return new LoadOutcome(plan, null);
        }
        log($"Loading batch {plan.Batch} from {plan.DataDirectory} into {settings.Describe()}: " +
            $"{plan.Mode.ToString().ToLowerInvariant()}, load {plan.LoadId}");
        var counts = DatasetLoader.Run(warehouse, plan, steps, cancellation);

        foreach (var (table, count) in new[] { (RawSchema.Players, counts.Players), (RawSchema.Sessions, counts.Sessions),
            (RawSchema.Events, counts.Events) })
            log($"  {table.Name,-16} {count.Inserted,12:N0} inserted {count.Skipped,12:N0} skipped (already there)");
        log(counts.Inserted == 0
            ? $"Nothing new: every row of batch {plan.Batch} was already loaded ({clock.Elapsed.TotalSeconds:0.0} s{lockWait})."
            : $"Loaded {counts.Inserted:N0} rows in {clock.Elapsed.TotalSeconds:0.0} s{lockWait}.");
        return new LoadOutcome(plan, counts);
    }

    /// <summary>What a load would do, read from the files and the target; nothing is written, not even a DuckDB file.</summary>
    /// <param name="waiting">Told when the target is locked by another process, and waited for.</param>
    public static string DryRun(WarehouseSettings settings, string folder, LoadMode? mode, TimeSpan lockTimeout, Action<string> waiting)
    {
        var (batch, files, source, _) = DatasetLoader.FilesOf(folder);
        var rows = string.Join(", ", RawSchema.Tables.Select(t => $"{files[t.File].Rows:N0} into {t.Name}"));
        RawState? state = null;
        if (settings.Provider.MayBeMigrated(settings))
            using (var warehouse = Warehouse.Open(settings, waiting, lockTimeout)) state = warehouse.ReadState();
        var what = state switch
        {
            null => "into RAW tables MigrateRaw has yet to create",
            _ when mode is not null => $"with --mode {mode.ToString()!.ToLowerInvariant()}",
            { IsEmpty: true } => "into empty RAW tables (recreate)",
            _ when state.HoldsExactly(files) => "or rather not: they already hold exactly this batch (up to date)",
            _ => $"after asking for --mode (the RAW tables hold {state.Players:N0} players, {state.Events:N0} events)",
        };
        return $"Would load batch {batch} from {Path.GetFullPath(folder)} ({source}: {rows}) into {settings.Describe()} {what}; " +
            "nothing was changed (dry run).";
    }
}
