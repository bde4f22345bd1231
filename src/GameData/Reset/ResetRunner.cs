using System.Collections.Concurrent;
using System.Diagnostics;
using GameData.Files;
using GameData.Generation;
using GameData.Settings;
using GameData.Validation;
using GameData.Warehouses;

namespace GameData.Reset;

/// <summary>How one target's reset ended.</summary>
/// <param name="Kept">What else its schema holds, read back after the reset.</param>
/// <param name="Dropped">Objects built on the RAW tables that were dropped with them (only with --drop-dependents).</param>
public sealed record ResetResult(
    ResetTarget Target, bool Succeeded, long Rows, double Seconds, string? LoadId, IReadOnlyList<string> Kept,
    IReadOnlyList<string> Dropped, string? Error)
{
    /// <summary>Not started because the reset was stopped (a signal): left as it was.</summary>
    public bool Cancelled { get; private init; }

    public static ResetResult NotStarted(ResetTarget target) =>
        new(target, false, 0, 0, null, [], [], "cancelled before it started; left as it was") { Cancelled = true };

    public string Status => Succeeded ? "reset" : Cancelled ? "cancelled" : "failed";
}

/// <summary>
/// Reset: for each target, drop what the project owns (the RAW tables, the ledger, the journal, what the
/// migrations create), migrate from scratch and load batch 1 of the current settings. The batch is generated,
/// validated and loaded once per warehouse (the seed), then copied into every target by the warehouse itself,
/// several targets at a time. A target that fails keeps its previous state; the others go on.
/// </summary>
public static class ResetRunner
{
    public static IReadOnlyList<ResetResult> Run(
        IReadOnlyList<ResetTarget> targets, ResetOptions options, Action<string> log, CancellationToken cancellation)
    {
        foreach (var leftover in TemporaryFolders.RemoveStale(TemporaryPrefix).Concat(TemporaryFolders.RemoveStale(ResetSeed.FolderPrefix)))
            log($"removed {leftover} (left by a reset that was stopped before it could clean up)");
        var data = TemporaryFolders.Create(TemporaryPrefix);
        try
        {
            var settings = options.Generation with { Batch = 1 };
            log($"Generating batch 1 ({settings.Players:N0} players, seed {settings.Seed}) once for {targets.Count} targets");
            DatasetGenerator.Generate(settings, data.FullName, cancellation: cancellation);
            var validation = DatasetValidator.Validate(new ValidationOptions(data.FullName), cancellation: cancellation);
            if (!validation.IsValid)
                throw new InvalidDataException($"the generated batch fails validation ({validation.FailureSummary()})");

            var results = new ConcurrentBag<ResetResult>();
            foreach (var group in targets.GroupBy(t => t.Group))
            {
                if (cancellation.IsCancellationRequested)
                {
                    foreach (var target in group) results.Add(ResetResult.NotStarted(target));
                    continue;
                }
                using var strategy = group.First().Warehouse.Provider.ResetStrategy(group.First().Warehouse, options, log);
                try
                {
                    log($"Loading the seed for {group.Count()} target(s): {group.Key}");
                    strategy.Seed(data.FullName);
                }
                catch (Exception e) when (IsTargetFailure(e))
                {
                    var error = $"the seed could not be loaded: {OneLine(e)}";
                    foreach (var target in group) results.Add(new ResetResult(target, false, 0, 0, null, [], [], error));
                    continue;
                }
                // A signal stops targets from starting; those under way finish (each is atomic), so every result is the truth.
                Parallel.ForEach(group, new ParallelOptions { MaxDegreeOfParallelism = options.Parallel }, target =>
                {
                    if (cancellation.IsCancellationRequested)
                    {
                        results.Add(ResetResult.NotStarted(target));
                        return;
                    }
                    var clock = Stopwatch.StartNew();
                    try
                    {
                        var reset = strategy.Reset(target.Name, target.Warehouse);
                        var seconds = clock.Elapsed.TotalSeconds;
                        results.Add(new ResetResult(target, true, reset.Rows, seconds, reset.LoadId, reset.Kept, reset.Dropped, null));
                        log($"  {target.Name}: reset ({reset.Rows:N0} rows, {clock.Elapsed.TotalSeconds:0.0} s)");
                    }
                    catch (Exception e) when (IsTargetFailure(e))
                    {
                        results.Add(new ResetResult(target, false, 0, clock.Elapsed.TotalSeconds, null, [], [], OneLine(e)));
                        log($"  {target.Name}: FAILED, left as it was: {OneLine(e)}");
                    }
                });
            }
            return [.. targets.Select(t => results.Single(r => r.Target == t))];
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private const string TemporaryPrefix = "gamedata-reset-";

    /// <summary>Failures that belong to one target (its server, its rights, its lock), not bugs.</summary>
    private static bool IsTargetFailure(Exception e) =>
        e is GameDataException or IOException or UnauthorizedAccessException or System.Data.Common.DbException or TimeoutException
            or InvalidOperationException;

    private static string OneLine(Exception e) => e.Message.Split('\n')[0].Trim();
}
