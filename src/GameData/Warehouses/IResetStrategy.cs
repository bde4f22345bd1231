namespace GameData.Warehouses;

/// <summary>
/// One warehouse's way of resetting: load a seed once, the usual way, then copy it into each target by the warehouse
/// itself.
/// </summary>
public interface IResetStrategy : IDisposable
{
    /// <summary>Migrates a seed from scratch and loads the batch into it with recreate.</summary>
    void Seed(string dataDirectory);

    /// <summary>
    /// Resets one target (<paramref name="name"/>, as --adopt names it) from the seed, atomically where the warehouse
    /// allows; throws when it cannot.
    /// </summary>
    TargetReset Reset(string name, WarehouseSettings target);
}
