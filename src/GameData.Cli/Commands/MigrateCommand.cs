using System.CommandLine;
using GameData.Cli.Console;
using GameData.Migrations;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata migrate</c>: brings the RAW schema to the latest version with DbUp.</summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the RAW schema's migrations (DbUp, journaled with checksums in the target schema).");
        var options = VerbOptions.For(command, "migrate");
        command.SetAction((parse, _) =>
        {
            var layers = options.Layers(parse);
            var warehouse = WarehouseSettings.From(layers);
            var terminal = Terminal.Detect(CiFlag.IsSet(layers));
            var folder = options.Text(parse, "migrations") ?? RepositoryFolders.DefaultMigrations();
            return Task.FromResult(Run(warehouse, folder, options.Switch(parse, "dry-run"), options.Seconds(parse, "lock-timeout"), terminal));
        });
        return command;
    }

    private static int Run(WarehouseSettings warehouse, string folder, bool dryRun, TimeSpan lockTimeout, Terminal terminal)
    {
        terminal.Info($"Migrating {warehouse.Describe()}{(dryRun ? " (dry run)" : "")}");
        using var held = HoldTarget(warehouse, dryRun, lockTimeout, terminal);
        var outcome = MigrationRunner.Run(warehouse, folder, dryRun, line => { if (!line.StartsWith("Checking", StringComparison.Ordinal) && !line.StartsWith("Beginning transaction", StringComparison.Ordinal)) terminal.Info("  " + line); });
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

    /// <summary>
    /// The target's lock for the whole migration, so that no load runs halfway through it. Taking it first also
    /// gives a clear error for an unreachable server. A dry run against a target that cannot have been migrated
    /// (a DuckDB file that does not exist) creates nothing, not even the lock.
    /// </summary>
    private static IDisposable? HoldTarget(WarehouseSettings warehouse, bool dryRun, TimeSpan lockTimeout, Terminal terminal) =>
        dryRun && !warehouse.Provider.MayBeMigrated(warehouse) ? null : warehouse.Provider.LockForMigration(warehouse, terminal.Info, lockTimeout);
}
