using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GameData.Anomalies;
using GameData.Chain;
using GameData.Cli.Console;
using GameData.Generation;
using GameData.Reset;
using GameData.Warehouses;
using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary>
/// <c>gamedata reset</c>: one environment or a whole class back to batch 1, each target atomically, the batch
/// loaded once per warehouse and copied by the warehouse itself.
/// </summary>
public static class ResetCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("reset",
            "Reset targets to batch 1: drop what the project owns, migrate from scratch, load batch 1 (once per warehouse, then copied).");
        var options = VerbOptions.For(command, "reset", context);
        command.SetAction((parse, cancellation) =>
        {
            var layers = options.Layers(parse).Add("reset", [new("LOAD_BATCH_ID", "1")]);
            var resultJson = options.Text(parse, "result-json");
            var ci = new CiOutputs(context);
            var terminal = Terminal.Detect(context, CiFlag.IsSet(layers), ci.RequireWritable(("--result-json", resultJson)));
            var targets = ResetClass.Targets(layers, options.Many(parse, "schema"), options.Path(parse, "duckdb-dir"),
                options.Path(parse, "targets"));
            var dropSchemas = options.Many(parse, "drop-schemas").Select(s => ResetClass.Dropped(s, targets)).ToList();
            var reset = new ResetOptions(
                GenerationSettings.From(layers) with { Anomalies = AnomalySpec.From(layers) },
                options.Path(parse, "migrations") ?? RepositoryFolders.DefaultMigrations(context.BaseDirectory),
                dropSchemas,
                Parallel(options.Text(parse, "parallel")),
                options.Seconds(parse, "lock-timeout"),
                ResetClass.Adopted(options.Many(parse, "adopt"), targets),
                options.Switch(parse, "drop-dependents"));

            foreach (var line in ResetClass.Plan(targets, reset)) terminal.Info(line);
            if (options.Switch(parse, "dry-run"))
            {
                terminal.Info("Nothing was changed (dry run).");
                return Task.FromResult(ExitCodes.Success);
            }
            Confirm(options.Switch(parse, "yes"), terminal, context, targets.Count);
            return Task.FromResult(Run(targets, reset, ci, resultJson, terminal, cancellation));
        });
        return command;
    }

    private static int Parallel(string? text)
    {
        if (text is null) return 4;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parallel) && parallel is >= 1 and <= 64
            ? parallel : throw new SettingsException($"--parallel '{text}' must be a whole number from 1 to 64");
    }

    private static void Confirm(bool yes, Terminal terminal, CliContext context, int count)
    {
        if (yes) return;
        if (!terminal.Interactive || context.Input is not { } input)
            throw new SettingsException("a reset drops data and there is no terminal to ask at: give --yes to go ahead");
        using var prompt = context.Prompting();
        terminal.Ask($"Reset {count} target(s)? Type yes to go ahead: ");
        var answer = input.ReadLine();
        if (answer?.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase) != true) throw new OperationCanceledException("not confirmed");
    }

    private static int Run(IReadOnlyList<ResetTarget> targets, ResetOptions options, CiOutputs ci, string? resultJson, Terminal terminal,
        CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var results = ResetRunner.Run(targets, options, terminal.Info, cancellation);
        var failed = results.Count(r => !r.Succeeded);
        var stopped = cancellation.IsCancellationRequested;

        terminal.Line();
        terminal.Line($"  {"target",-20} {"status",-9} {"rows",10} {"seconds",8}  error, or what else the schema holds (kept)");
        foreach (var r in results)
            terminal.Line($"  {r.Target.Name,-20} {(r.Succeeded ? "reset" : r.Status.ToUpperInvariant()),-9} {r.Rows,10:N0} " +
                          $"{r.Seconds,8:0.0}  " + (r.Error ?? Outcome(r)));
        ci.WriteResult(resultJson, new
        {
            Command = "reset",
            Status = stopped ? "cancelled" : failed == 0 ? "succeeded" : "failed",
            Seconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
            Targets = results.Select(r => new
            {
                r.Target.Name, Location = r.Target.Location, r.Status, r.Rows, r.LoadId,
                Seconds = Math.Round(r.Seconds, 2), r.Kept, r.Dropped, r.Error,
            }),
        });
        ci.AppendSummary($"### gamedata reset: {results.Count - failed} of {results.Count} reset\n\n" +
            "| target | status | rows | seconds | error or kept |\n|---|---|---|---|---|\n" +
            string.Join("\n", results.Select(r => $"| {r.Target.Name} | {(r.Succeeded ? "reset" : $"**{r.Status}**")} | {r.Rows:N0} " +
                $"| {r.Seconds:0.0} | {r.Error ?? Outcome(r)} |")));
        if (stopped)
            throw new CancelledPartway($"cancelled: {results.Count(r => r.Succeeded)} of {results.Count} target(s) were reset " +
                $"before the signal, {results.Count(r => r.Cancelled)} not started and {results.Count(r => r.Status == "failed")} failed " +
                "were left as they were (see the table above)");
        if (failed == 0)
        {
            terminal.Info($"Reset {results.Count} target(s) in {clock.Elapsed.TotalSeconds:0.0} s.");
            return ExitCodes.Success;
        }
        terminal.Error($"{failed} of {results.Count} target(s) could not be reset and were left as they were (see the table above)");
        return ExitCodes.Failed;
    }

    /// <summary>What else a reset target holds (kept) and what went with its RAW tables (dropped).</summary>
    private static string Outcome(ResetResult r) => string.Join("; ",
        new[] { r.Kept.Count > 0 ? $"kept: {string.Join(", ", r.Kept)}" : null,
            r.Dropped.Count > 0 ? $"dropped: {string.Join(", ", r.Dropped)}" : null }.OfType<string>());
}
