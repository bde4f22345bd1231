namespace GameData.Loading;

/// <summary>
/// What differs between warehouses, and nothing else: reading the RAW schema's state, and loading a
/// batch into the three RAW tables plus the ledger in one transaction, by the warehouse's bulk path.
/// Declared here and implemented by each warehouse, so Load never asks which one it has.
/// </summary>
public interface IWarehouse : IDisposable
{
    /// <summary>Where it is, for messages: the DuckDB file, or the server, database and schema.</summary>
    string Describe();

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
