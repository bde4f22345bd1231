using GameData.Loading;

namespace GameData.Warehouses;

public static class Warehouse
{
    /// <summary>
    /// Opens the warehouse the settings name, holding the target's lock until disposed (see
    /// <see cref="IWarehouseProvider.Open"/>). <paramref name="waiting"/> hears about waits for a lock.
    /// </summary>
    public static IWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) =>
        settings.Provider.Open(settings, waiting, lockTimeout);
}
