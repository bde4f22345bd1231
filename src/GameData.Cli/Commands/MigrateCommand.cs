using System.CommandLine;
using GameData.Chain;
using GameData.Cli.Console;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata migrate</c>: brings the RAW schema to the latest version with DbUp.</summary>
public static class MigrateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("migrate", "Apply the RAW schema's migrations (DbUp, journaled with checksums in the target schema).");
        var options = VerbOptions.For(command, "migrate", context);
        command.SetAction((parse, _) =>
        {
            var layers = options.Layers(parse);
            var warehouse = WarehouseSettings.From(layers);
            var terminal = Terminal.Detect(context, CiFlag.IsSet(layers));
            var folder = options.Path(parse, "migrations") ?? RepositoryFolders.DefaultMigrations(context.BaseDirectory);
            return Task.FromResult(Run(warehouse, folder, options.Switch(parse, "dry-run"), options.Seconds(parse, "lock-timeout"),
                terminal));
        });
        return command;
    }

    private static int Run(WarehouseSettings warehouse, string folder, bool dryRun, TimeSpan lockTimeout, Terminal terminal)
    {
        terminal.Info($"Migrating {warehouse.Describe()}{(dryRun ? " (dry run)" : "")}");
        // DbUp's own chatter is left out.
        var outcome = MigrateRaw.Run(warehouse, folder, dryRun, lockTimeout, terminal.Info, line =>
        {
            if (!line.StartsWith("Checking", StringComparison.Ordinal)
                && !line.StartsWith("Beginning transaction", StringComparison.Ordinal)) terminal.Info("  " + line);
        });
        if (outcome.Pending.Count == 0)
            terminal.Info($"Up to date: {outcome.AlreadyApplied.Count} scripts already applied, nothing to do.");
        else if (dryRun)
        {
            foreach (var script in outcome.Pending) terminal.Info($"would apply {script}");
            terminal.Info("Nothing was changed (dry run).");
        }
        else
            terminal.Info($"Applied {outcome.Pending.Count} scripts: {string.Join(", ", outcome.Pending)}");
        return ExitCodes.Success;
    }
}
