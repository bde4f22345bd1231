using GameData.Loading;

namespace GameData.Warehouses;

/// <summary>
/// What differs between warehouses, and nothing else: reading the RAW schema's state, and loading a
/// batch into the three RAW tables plus the ledger in one transaction, by the warehouse's bulk path.
/// </summary>
public interface IWarehouse : IDisposable
{
    WarehouseSettings Settings { get; }

    /// <summary>The RAW schema's state, or null when its tables do not exist (never migrated).</summary>
    RawState? ReadState();

    /// <summary>
    /// Loads the plan's files in one transaction. Each file's SHA-256 is checked against the manifest before
    /// the commit; on any failure nothing of the batch is visible.
    /// </summary>
    LoadCounts Load(LoadPlan plan, IProgress<string> steps, CancellationToken cancellation);

    /// <summary>Best effort: records a failed load in the ledger, in a transaction of its own.</summary>
    void RecordFailure(LoadPlan plan);
}

public static class Warehouse
{
    /// <summary>
    /// Opens the warehouse the settings name, holding the target's lock until disposed (see
    /// <see cref="IWarehouseProvider.Open"/>). <paramref name="waiting"/> hears about waits for a lock.
    /// </summary>
    public static IWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) =>
        settings.Provider.Open(settings, waiting, lockTimeout);
}
