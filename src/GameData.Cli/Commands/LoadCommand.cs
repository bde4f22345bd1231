using System.CommandLine;
using System.Diagnostics;
using GameData.Cli.Console;
using GameData.Loading;
using GameData.Settings;
using GameData.Warehouses;
using Spectre.Console;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata load</c>: loads data/ into the RAW tables, in one transaction.</summary>
public static class LoadCommand
{
    public static Command Create()
    {
        var flags = CommandOptions.WarehouseFlags();
        var data = new Option<string?>("--data") { Description = "Dataset folder [default: data/ at the repository root]" };
        var mode = new Option<string?>("--mode")
        {
            Description = "recreate (the RAW tables end up holding exactly this batch) or append (only rows whose key is new). " +
                          "Without it: asked at a terminal; otherwise recreate into empty tables only",
        };
        var command = new Command("load", "Load the generated CSV files into the warehouse's RAW tables.");
        foreach (var flag in flags.Values) command.Options.Add(flag);
        command.Options.Add(data);
        command.Options.Add(mode);
        command.Options.Add(CommandOptions.LockTimeout);
        command.Options.Add(CommandOptions.EnvFile);
        command.SetAction((parse, cancellation) =>
        {
            var layers = CommandOptions.Layers(parse, flags);
            var warehouse = WarehouseSettings.From(layers);
            var chosen = parse.GetValue(mode) switch
            {
                null => (LoadMode?)null,
                var m when m.Equals("recreate", StringComparison.OrdinalIgnoreCase) => LoadMode.Recreate,
                var m when m.Equals("append", StringComparison.OrdinalIgnoreCase) => LoadMode.Append,
                var m => throw new SettingsException($"--mode '{m}' is not recreate or append"),
            };
            var terminal = Terminal.Detect(CiFlag.IsSet(layers));
            var folder = parse.GetValue(data) ?? RepositoryFolders.DefaultData();
            var lockTimeout = TimeSpan.FromSeconds(parse.GetValue(CommandOptions.LockTimeout));
            return Task.FromResult(Run(warehouse, folder, chosen, lockTimeout, terminal, cancellation));
        });
        return command;
    }

    private static int Run(WarehouseSettings settings, string folder, LoadMode? mode, TimeSpan lockTimeout, Terminal terminal, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using var warehouse = Warehouse.Open(settings, terminal.Info, lockTimeout);
        var ask = terminal.Interactive && !System.Console.IsInputRedirected ? Ask : (Func<RawState, LoadMode>?)null;
        var plan = DatasetLoader.Plan(warehouse, folder, mode, ask);
        terminal.Info($"Loading batch {plan.Batch} from {plan.DataDirectory} into {settings.Describe()}: {plan.Mode.ToString().ToLowerInvariant()}, load {plan.LoadId}");
        var counts = DatasetLoader.Run(warehouse, plan, new Progress<string>(step => terminal.Info("  " + step)), cancellation);

        foreach (var (table, count) in new[] { (RawSchema.Players, counts.Players), (RawSchema.Sessions, counts.Sessions), (RawSchema.Events, counts.Events) })
            terminal.Info($"  {table.Name,-16} {count.Inserted,12:N0} inserted {count.Skipped,12:N0} skipped (already there)");
        terminal.Info(counts.Inserted == 0
            ? $"Nothing new: every row of batch {plan.Batch} was already loaded ({clock.Elapsed.TotalSeconds:0.0} s)."
            : $"Loaded {counts.Inserted:N0} rows in {clock.Elapsed.TotalSeconds:0.0} s.");
        return ExitCodes.Success;
    }

    private static LoadMode Ask(RawState state)
    {
        if (state.IsEmpty) return LoadMode.Recreate;
        AnsiConsole.MarkupLine($"The RAW tables hold {state.Players:N0} players, {state.Sessions:N0} sessions and {state.Events:N0} events.");
        var choice = AnsiConsole.Prompt(new TextPrompt<int>("[bold]1[/] = recreate (replace them with this batch), [bold]2[/] = append (add only new rows):")
            .AddChoices([1, 2]).ShowChoices(false));
        return choice == 1 ? LoadMode.Recreate : LoadMode.Append;
    }
}
