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
        var flags = CommandOptions.WarehouseFlags();
        var dryRun = new Option<bool>("--dry-run") { Description = "List the scripts that would run and change nothing" };
        var migrations = new Option<string?>("--migrations") { Description = "Folder holding duckdb/, postgres/ and snowflake/ scripts [default: migrations/ at the repository root]" };
        var command = new Command("migrate", "Apply the RAW schema's migrations (DbUp, journaled with checksums in the target schema).");
        foreach (var flag in flags.Values) command.Options.Add(flag);
        command.Options.Add(dryRun);
        command.Options.Add(migrations);
        command.Options.Add(CommandOptions.LockTimeout);
        command.Options.Add(CommandOptions.EnvFile);
        command.SetAction((parse, _) =>
        {
            var layers = CommandOptions.Layers(parse, flags);
            var warehouse = WarehouseSettings.From(layers);
            var terminal = Terminal.Detect(CiFlag.IsSet(layers));
            var folder = parse.GetValue(migrations) ?? Path.Combine(RepositoryFolders.Root(), "migrations");
            return Task.FromResult(Run(warehouse, folder, parse.GetValue(dryRun), TimeSpan.FromSeconds(parse.GetValue(CommandOptions.LockTimeout)), terminal));
        });
        return command;
    }

    private static int Run(WarehouseSettings warehouse, string folder, bool dryRun, TimeSpan lockTimeout, Terminal terminal)
    {
        terminal.Info($"Migrating {warehouse.Describe()}{(dryRun ? " (dry run)" : "")}");
        // Opening first gives a clear error for an unreachable server, and waits out another process's DuckDB lock
        // (it also creates the DuckDB file: only MigrateRaw does).
        if (warehouse.Kind == WarehouseKind.Postgres) PostgresWarehouse.Open(warehouse, lockTimeout).Dispose();
        else if (warehouse.Kind == WarehouseKind.DuckDb) DuckDbWarehouse.Open(warehouse, terminal.Info, lockTimeout).Dispose();
        var outcome = MigrationRunner.Run(warehouse, folder, dryRun, line => { if (!line.StartsWith("Checking", StringComparison.Ordinal) && !line.StartsWith("Beginning transaction", StringComparison.Ordinal)) terminal.Info("  " + line); });
        if (outcome.Pending.Count == 0)
            terminal.Info($"Up to date: {outcome.AlreadyApplied.Count} scripts already applied, nothing to do.");
        else if (dryRun)
            foreach (var script in outcome.Pending) terminal.Info($"would apply {script}");
        else
            terminal.Info($"Applied {outcome.Pending.Count} scripts: {string.Join(", ", outcome.Pending)}");
        return ExitCodes.Success;
    }
}
