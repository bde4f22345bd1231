using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GameData.Cli.Console;
using GameData.Reset;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Cli.Commands;

/// <summary>
/// <c>gamedata reset</c>: one environment or a whole class back to batch 1, each target atomically, the batch
/// loaded once per warehouse and copied by the warehouse itself.
/// </summary>
public static class ResetCommand
{
    public static Command Create()
    {
        var command = new Command("reset",
            "Reset targets to batch 1: drop what the project owns, migrate from scratch, load batch 1 (once per warehouse, then copied).");
        var options = VerbOptions.For(command, "reset");
        command.SetAction((parse, cancellation) =>
        {
            var layers = options.Layers(parse).Add("reset", [new("LOAD_BATCH_ID", "1")]);
            var resultJson = options.Text(parse, "result-json");
            CiOutputs.RequireWritable(("--result-json", resultJson));
            var terminal = Terminal.Detect(CiFlag.IsSet(layers));
            var targets = Targets(options, parse, layers);
            var dropSchemas = options.Many(parse, "drop-schemas").Select(s => Dropped(s, targets)).ToList();
            var reset = new ResetOptions(
                GenerationSettings.From(layers),
                options.Text(parse, "migrations") ?? RepositoryFolders.DefaultMigrations(),
                dropSchemas,
                Parallel(options.Text(parse, "parallel")),
                options.Seconds(parse, "lock-timeout"),
                Adopted(options.Many(parse, "adopt"), targets),
                options.Switch(parse, "drop-dependents"));

            foreach (var line in Plan(targets, reset)) terminal.Info(line);
            if (options.Switch(parse, "dry-run"))
            {
                terminal.Info("Nothing was changed (dry run).");
                return Task.FromResult(ExitCodes.Success);
            }
            Confirm(options.Switch(parse, "yes"), terminal, targets.Count);
            return Task.FromResult(Run(targets, reset, resultJson, terminal, cancellation));
        });
        return command;
    }

    private static IReadOnlyList<ResetTarget> Targets(VerbOptions options, ParseResult parse, SettingLayers layers)
    {
        var names = options.Many(parse, "schema");
        var duckDbFolder = options.Text(parse, "duckdb-dir");
        if (options.Text(parse, "targets") is { } file)
        {
            if (names.Count > 0 || duckDbFolder is not null) throw new SettingsException("--targets names every target itself: give it without --schema or --duckdb-dir");
            return ResetTargets.FromFile(file, layers);
        }
        return ResetTargets.FromNames(WarehouseSettings.From(layers), names, duckDbFolder);
    }

    /// <summary>A schema to drop as well: a plain name, and never one of the RAW schemas being reset.</summary>
    private static string Dropped(string schema, IReadOnlyList<ResetTarget> targets)
    {
        var folded = SqlIdentifier.Schema(schema, targets[0].Warehouse.Provider, $"--drop-schemas '{schema}'");
        if (targets.Any(t => t.Warehouse.Schema.Equals(folded, StringComparison.OrdinalIgnoreCase)))
            throw new SettingsException($"--drop-schemas '{schema}' is a RAW schema being reset; name the dbt output schemas (dev, ci) only");
        return folded;
    }

    /// <summary>Names of targets to adopt: each must be one of the targets.</summary>
    private static List<string> Adopted(IReadOnlyList<string> names, IReadOnlyList<ResetTarget> targets) =>
        [.. names.Select(name => targets.Any(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ? name : throw new SettingsException($"--adopt '{name}' is not one of the targets ({string.Join(", ", targets.Select(t => t.Name))})"))];

    private static int Parallel(string? text)
    {
        if (text is null) return 4;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parallel) && parallel is >= 1 and <= 64
            ? parallel : throw new SettingsException($"--parallel '{text}' must be a whole number from 1 to 64");
    }

    /// <summary>What will happen, target by target: what a person confirms and a dry run shows.</summary>
    private static IEnumerable<string> Plan(IReadOnlyList<ResetTarget> targets, ResetOptions options)
    {
        yield return $"Reset {targets.Count} target(s) to batch 1 ({options.Generation.Players:N0} players, seed {options.Generation.Seed}, " +
                     $"{options.Generation.Start:yyyy-MM-dd}..{options.Generation.End:yyyy-MM-dd}), {options.Parallel} at a time:";
        foreach (var target in targets) yield return $"  {target.Name,-20} {target.Location}";
        yield return $"In each: replaces the rows of {string.Join(", ", ProjectObjects.Copied)} with batch 1; where the migrations are not current, " +
                     $"drops {string.Join(", ", ProjectObjects.Tables)} and the functions the migrations made there and migrates from scratch" +
                     (options.DropDependents ? ", dropping what is built on them" : " (refused if anything is built on them, unless --drop-dependents)") +
                     (options.DropSchemas.Count > 0 ? $"; drops the schemas {string.Join(", ", options.DropSchemas)}" : "") +
                     ". Anything else stays. Schemas gamedata never migrated are refused" +
                     (options.Adopt.Count > 0 ? $", except {string.Join(", ", options.Adopt)}." : ".");
    }

    private static void Confirm(bool yes, Terminal terminal, int count)
    {
        if (yes) return;
        if (!terminal.Interactive || System.Console.IsInputRedirected)
            throw new SettingsException("a reset drops data and there is no terminal to ask at: give --yes to go ahead");
        using var prompt = Interrupts.Prompting();
        System.Console.Out.Write($"Reset {count} target(s)? Type yes to go ahead: ");
        var answer = System.Console.In.ReadLine();
        if (answer?.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase) != true) throw new OperationCanceledException("not confirmed");
    }

    private static int Run(IReadOnlyList<ResetTarget> targets, ResetOptions options, string? resultJson, Terminal terminal, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var results = ResetRunner.Run(targets, options, terminal.Info, cancellation);
        var failed = results.Count(r => !r.Succeeded);
        var stopped = cancellation.IsCancellationRequested;

        System.Console.Out.WriteLine();
        System.Console.Out.WriteLine($"  {"target",-20} {"status",-9} {"rows",10} {"seconds",8}  error, or what else the schema holds (kept)");
        foreach (var r in results)
            System.Console.Out.WriteLine($"  {r.Target.Name,-20} {(r.Succeeded ? "reset" : r.Status.ToUpperInvariant()),-9} {r.Rows,10:N0} {r.Seconds,8:0.0}  " +
                                         (r.Error ?? Outcome(r)));
        CiOutputs.WriteResult(resultJson, new
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
        CiOutputs.AppendSummary($"### gamedata reset: {results.Count - failed} of {results.Count} reset\n\n| target | status | rows | seconds | error or kept |\n|---|---|---|---|---|\n" +
            string.Join("\n", results.Select(r => $"| {r.Target.Name} | {(r.Succeeded ? "reset" : $"**{r.Status}**")} | {r.Rows:N0} | {r.Seconds:0.0} | {r.Error ?? Outcome(r)} |")));
        if (stopped)
            throw new CancelledPartway($"cancelled: {results.Count(r => r.Succeeded)} of {results.Count} target(s) were reset before the signal, " +
                                       $"{results.Count(r => r.Cancelled)} not started and {results.Count(r => r.Status == "failed")} failed were left as they were (see the table above)");
        if (failed == 0)
        {
            terminal.Info($"Reset {results.Count} target(s) in {clock.Elapsed.TotalSeconds:0.0} s.");
            return ExitCodes.Success;
        }
        Terminal.Error($"{failed} of {results.Count} target(s) could not be reset and were left as they were (see the table above)");
        return ExitCodes.Failed;
    }

    /// <summary>What else a reset target holds (kept) and what went with its RAW tables (dropped).</summary>
    private static string Outcome(ResetResult r) => string.Join("; ",
        new[] { r.Kept.Count > 0 ? $"kept: {string.Join(", ", r.Kept)}" : null, r.Dropped.Count > 0 ? $"dropped: {string.Join(", ", r.Dropped)}" : null }.OfType<string>());
}
