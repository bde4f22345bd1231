using GameData.Loading;

namespace GameData.Warehouses;

public static class Warehouse
{
    /// <summary>
    /// Opens the warehouse the settings name, holding the target's lock (DuckDB: the file's; PostgreSQL: the
    /// schema's advisory lock) until disposed. <paramref name="waiting"/> hears about waits for a lock.
    /// Only MigrateRaw creates a DuckDB file; for anything else a missing file means "never migrated".
    /// </summary>
    public static IWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) => settings.Kind switch
    {
        WarehouseKind.DuckDb when !File.Exists(settings.DuckDbPath) =>
            throw new WarehouseException($"there is no DuckDB file at {settings.DuckDbPath}; run MigrateRaw first (gamedata migrate)"),
        WarehouseKind.DuckDb => DuckDbWarehouse.Open(settings, waiting, lockTimeout),
        WarehouseKind.Snowflake => Snowflake.SnowflakeWarehouse.Open(settings, lockTimeout: lockTimeout, waiting: waiting),
        _ => PostgresWarehouse.Open(settings, lockTimeout, waiting),
    };
}
