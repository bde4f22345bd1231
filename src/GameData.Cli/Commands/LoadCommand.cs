using System.CommandLine;
using System.Diagnostics;
using GameData.Chain;
using GameData.Cli.Console;
using GameData.Loading;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata load</c>: loads data/ into the RAW tables, in one transaction.</summary>
public static class LoadCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("load", "Load the generated CSV files into the warehouse's RAW tables.");
        var options = VerbOptions.For(command, "load", context);
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
            var ci = new CiOutputs(context);
            var terminal = Terminal.Detect(context, CiFlag.IsSet(layers), ci.RequireWritable(("--result-json", resultJson)));
            var folder = options.Path(parse, "data") ?? RepositoryFolders.DefaultData(context.BaseDirectory);
            var lockTimeout = options.Seconds(parse, "lock-timeout");
            // A person to ask which mode, when none is given and the tables hold rows.
            var ask = terminal.Interactive && context.Input is { } input
                ? state => ModePrompt.Ask(state, terminal, context, input) : (Func<RawState, LoadMode>?)null;
            return Task.FromResult(options.Switch(parse, "dry-run")
                ? DryRun(warehouse, folder, chosen, lockTimeout, terminal)
                : Reported(ci, warehouse, resultJson, () => Outcome.Of(
                    LoadRaw.Run(warehouse, folder, chosen, lockTimeout, ask, terminal.Info, new StepLines(terminal, context),
                        cancellation))));
        });
        return command;
    }

    /// <summary>What a load did, for <c>--result-json</c> and a GitHub step summary: written whether it succeeded or failed.</summary>
    private sealed record Outcome(string Status, LoadPlan? Plan = null, LoadCounts? Counts = null, string? Error = null)
    {
        public static Outcome Of(LoadOutcome load) => new(load.Counts is null ? "up to date" : "succeeded", load.Plan, load.Counts);
    }

    private static int DryRun(WarehouseSettings warehouse, string folder, LoadMode? mode, TimeSpan lockTimeout, Terminal terminal)
    {
        terminal.Info(LoadRaw.DryRun(warehouse, folder, mode, lockTimeout, terminal.Info));
        return ExitCodes.Success;
    }

    private static int Reported(CiOutputs ci, WarehouseSettings settings, string? resultJson, Func<Outcome> load)
    {
        var clock = Stopwatch.StartNew();
        Outcome outcome;
        try { outcome = load(); }
        catch (Exception e)
        {
            Report(ci, settings, resultJson, new Outcome("failed", Error: e.Message.Split('\n')[0]), clock.Elapsed);
            throw;
        }
        Report(ci, settings, resultJson, outcome, clock.Elapsed);
        return ExitCodes.Success;
    }

    private static void Report(CiOutputs ci, WarehouseSettings settings, string? resultJson, Outcome outcome, TimeSpan elapsed)
    {
        object? Rows(TableCounts? c) => c is null ? null : new { c.Inserted, c.Skipped };
        ci.WriteResult(resultJson, new
        {
            Command = "load", outcome.Status, Target = settings.Describe(), outcome.Plan?.Batch, outcome.Plan?.LoadId,
            Mode = outcome.Plan?.Mode.ToString().ToLowerInvariant(), Seconds = Math.Round(elapsed.TotalSeconds, 2),
            Rows = outcome.Counts is null ? null : new Dictionary<string, object?>
            {
                [RawSchema.Players.Name] = Rows(outcome.Counts.Players), [RawSchema.Sessions.Name] = Rows(outcome.Counts.Sessions),
                [RawSchema.Events.Name] = Rows(outcome.Counts.Events),
            },
            outcome.Error,
        });
        ci.AppendSummary($"### gamedata load: {outcome.Status}\n\n{settings.Describe()}" +
            (outcome.Counts is { } c
                ? $", batch {outcome.Plan!.Batch}, {outcome.Plan.Mode.ToString().ToLowerInvariant()}: {c.Inserted:N0} rows inserted" : "") +
            (outcome.Error is null ? "" : $"\n\n> {outcome.Error}"));
    }
}
