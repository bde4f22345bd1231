using GameData.Migrations;
using GameData.Warehouses;

namespace GameData.Chain;

/// <summary>MigrateRaw: the RAW schema brought to the latest version, the target locked throughout.</summary>
public static class MigrateRaw
{
    /// <param name="waiting">Told when the lock is held by another process, and waited for.</param>
    /// <param name="log">DbUp's lines.</param>
    public static MigrationOutcome Run(WarehouseSettings warehouse, string migrationsFolder, bool dryRun, TimeSpan lockTimeout,
        Action<string> waiting, Action<string> log)
    {
        using var held = HoldTarget(warehouse, dryRun, lockTimeout, waiting);
        return MigrationRunner.Run(warehouse, migrationsFolder, dryRun, log);
    }

    /// <summary>
    /// The target's lock for the whole migration, so that no load runs halfway through it. Taking it first also
    /// gives a clear error for an unreachable server. A dry run against a target that cannot have been migrated
    /// (a DuckDB file that does not exist) creates nothing, not even the lock.
    /// </summary>
    private static IDisposable? HoldTarget(WarehouseSettings warehouse, bool dryRun, TimeSpan lockTimeout, Action<string> log) =>
        dryRun && !warehouse.Provider.MayBeMigrated(warehouse) ? null : warehouse.Provider.LockForMigration(warehouse, log, lockTimeout);
}
