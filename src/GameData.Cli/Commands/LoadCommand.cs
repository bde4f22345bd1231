using System.CommandLine;
using System.Diagnostics;
using GameData.Cli.Console;
using GameData.Loading;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata load</c>: loads data/ into the RAW tables, in one transaction.</summary>
public static class LoadCommand
{
    public static Command Create()
    {
        var command = new Command("load", "Load the generated CSV files into the warehouse's RAW tables.");
        var options = VerbOptions.For(command, "load");
        command.SetAction((parse, cancellation) =>
        {
            var layers = options.Layers(parse);
            var warehouse = WarehouseSettings.From(layers);
            var chosen = options.Text(parse, "mode") switch
            {
                null => (LoadMode?)null,
                var m when m.Equals("recreate", StringComparison.OrdinalIgnoreCase) => LoadMode.Recreate,
                var m when m.Equals("append", StringComparison.OrdinalIgnoreCase) => LoadMode.Append,
                var m => throw new SettingsException($"--mode '{m}' is not recreate or append"),
            };
            var resultJson = options.Text(parse, "result-json");
            CiOutputs.RequireWritable(("--result-json", resultJson));
            var terminal = Terminal.Detect(CiFlag.IsSet(layers));
            var folder = options.Text(parse, "data") ?? RepositoryFolders.DefaultData();
            var lockTimeout = options.Seconds(parse, "lock-timeout");
            return Task.FromResult(options.Switch(parse, "dry-run")
                ? DryRun(warehouse, folder, chosen, lockTimeout, terminal)
                : Reported(warehouse, resultJson, () => Run(warehouse, folder, chosen, lockTimeout, terminal, cancellation)));
        });
        return command;
    }

    /// <summary>What a load did, for <c>--result-json</c> and a GitHub step summary: written whether it succeeded or failed.</summary>
    private sealed record Outcome(string Status, LoadPlan? Plan = null, LoadCounts? Counts = null, string? Error = null);

    private static int Reported(WarehouseSettings settings, string? resultJson, Func<Outcome> load)
    {
        var clock = Stopwatch.StartNew();
        Outcome outcome;
        try { outcome = load(); }
        catch (Exception e)
        {
            Report(settings, resultJson, new Outcome("failed", Error: e.Message.Split('\n')[0]), clock.Elapsed);
            throw;
        }
        Report(settings, resultJson, outcome, clock.Elapsed);
        return ExitCodes.Success;
    }

    private static void Report(WarehouseSettings settings, string? resultJson, Outcome outcome, TimeSpan elapsed)
    {
        object? Rows(TableCounts? c) => c is null ? null : new { c.Inserted, c.Skipped };
        CiOutputs.WriteResult(resultJson, new
        {
            Command = "load", outcome.Status, Target = settings.Describe(), outcome.Plan?.Batch, outcome.Plan?.LoadId,
            Mode = outcome.Plan?.Mode.ToString().ToLowerInvariant(), Seconds = Math.Round(elapsed.TotalSeconds, 2),
            Rows = outcome.Counts is null ? null : new Dictionary<string, object?>
            {
                [RawSchema.Players.Name] = Rows(outcome.Counts.Players), [RawSchema.Sessions.Name] = Rows(outcome.Counts.Sessions), [RawSchema.Events.Name] = Rows(outcome.Counts.Events),
            },
            outcome.Error,
        });
        CiOutputs.AppendSummary($"### gamedata load: {outcome.Status}\n\n{settings.Describe()}" +
            (outcome.Counts is { } c ? $", batch {outcome.Plan!.Batch}, {outcome.Plan.Mode.ToString().ToLowerInvariant()}: {c.Inserted:N0} rows inserted" : "") +
            (outcome.Error is null ? "" : $"\n\n> {outcome.Error}"));
    }

    private static Outcome Run(WarehouseSettings settings, string folder, LoadMode? mode, TimeSpan lockTimeout, Terminal terminal, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var waited = false;
        using var warehouse = Warehouse.Open(settings, message => { waited = true; terminal.Info(message); }, lockTimeout);
        // The wait for another load's lock is said apart: it is not the load's own time.
        var lockWait = waited ? $", after waiting {clock.Elapsed.TotalSeconds:0.0} s for the lock" : "";
        if (waited) clock.Restart();
        var ask = terminal.Interactive && !System.Console.IsInputRedirected ? ModePrompt.Ask : (Func<RawState, LoadMode>?)null;
        var plan = DatasetLoader.Plan(warehouse, folder, mode, ask);
        if (plan.UpToDate)
        {
            terminal.Info($"Up to date: {settings.Describe()} already holds exactly batch {plan.Batch} from {plan.DataDirectory} " +
                          "(give --mode recreate or append to load it again).");
            return new Outcome("up to date", plan);
        }
        terminal.Info($"Loading batch {plan.Batch} from {plan.DataDirectory} into {settings.Describe()}: {plan.Mode.ToString().ToLowerInvariant()}, load {plan.LoadId}");
        var counts = DatasetLoader.Run(warehouse, plan, new StepLines(terminal), cancellation);

        foreach (var (table, count) in new[] { (RawSchema.Players, counts.Players), (RawSchema.Sessions, counts.Sessions), (RawSchema.Events, counts.Events) })
            terminal.Info($"  {table.Name,-16} {count.Inserted,12:N0} inserted {count.Skipped,12:N0} skipped (already there)");
        terminal.Info(counts.Inserted == 0
            ? $"Nothing new: every row of batch {plan.Batch} was already loaded ({clock.Elapsed.TotalSeconds:0.0} s{lockWait})."
            : $"Loaded {counts.Inserted:N0} rows in {clock.Elapsed.TotalSeconds:0.0} s{lockWait}.");
        return new Outcome("succeeded", plan, counts);
    }

    /// <summary>What a load would do, read from the files and the target; nothing is written, not even a DuckDB file.</summary>
    private static int DryRun(WarehouseSettings settings, string folder, LoadMode? mode, TimeSpan lockTimeout, Terminal terminal)
    {
        var (batch, files, source, _) = DatasetLoader.FilesOf(folder);
        var rows = string.Join(", ", RawSchema.Tables.Select(t => $"{files[t.File].Rows:N0} into {t.Name}"));
        RawState? state = null;
        if (settings.Provider.MayBeMigrated(settings))
            using (var warehouse = Warehouse.Open(settings, terminal.Info, lockTimeout)) state = warehouse.ReadState();
        var what = state switch
        {
            null => "into RAW tables MigrateRaw has yet to create",
            _ when mode is not null => $"with --mode {mode.ToString()!.ToLowerInvariant()}",
            { IsEmpty: true } => "into empty RAW tables (recreate)",
            _ when state.HoldsExactly(files) => "or rather not: they already hold exactly this batch (up to date)",
            _ => $"after asking for --mode (the RAW tables hold {state.Players:N0} players, {state.Events:N0} events)",
        };
        terminal.Info($"Would load batch {batch} from {Path.GetFullPath(folder)} ({source}: {rows}) into {settings.Describe()} {what}; nothing was changed (dry run).");
        return ExitCodes.Success;
    }
}
