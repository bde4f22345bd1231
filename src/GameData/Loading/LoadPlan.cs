using GameData.Generation;

namespace GameData.Loading;

public enum LoadMode { Recreate, Append }

/// <summary>
/// One load, decided before anything is written: which files (their rows and SHA-256, from manifest.json or,
/// for files from elsewhere, from their validation), which batch, which mode.
/// </summary>
/// <param name="UpToDate">No mode was asked for and the RAW tables already hold exactly these files: nothing to do.</param>
/// <param name="Anomalies">The manifest declares defects mixed in on purpose (<c>--anomalies</c>): properties may not be JSON.</param>
public sealed record LoadPlan(
    string LoadId, string DataDirectory, int Batch, IReadOnlyDictionary<string, ManifestFile> Files, string FilesSource,
    LoadMode Mode, DateTimeOffset StartedAt, bool UpToDate = false, bool Anomalies = false)
{
    public string PathOf(string file) => Path.Combine(DataDirectory, file);

    public long RowsIn(string file) => Files[file].Rows;

    public static string NewLoadId(DateTimeOffset now) => $"load_{now:yyyyMMdd'T'HHmmss'Z'}_{Guid.NewGuid().ToString("N")[..6]}";
}

/// <summary>Rows inserted and skipped (primary key already there) for one RAW table.</summary>
public sealed record TableCounts(long Inserted, long Skipped);

public sealed record LoadCounts(TableCounts Players, TableCounts Sessions, TableCounts Events)
{
    public long Inserted => Players.Inserted + Sessions.Inserted + Events.Inserted;

    /// <summary>Counts from what the warehouse inserted, per RAW table, and the rows each file holds.</summary>
    public static LoadCounts From(IReadOnlyDictionary<RawTable, long> inserted, IReadOnlyDictionary<string, FileFacts> files)
    {
        TableCounts Of(RawTable table) => new(inserted[table], files[table.File].Rows - inserted[table]);
        return new LoadCounts(Of(RawSchema.Players), Of(RawSchema.Sessions), Of(RawSchema.Events));
    }
}

/// <summary>What the RAW schema holds now; null fields where there is nothing yet.</summary>
/// <param name="HighestBatch">The highest batch present in the RAW tables.</param>
/// <param name="LatestEventTime">The latest event time present.</param>
/// <param name="LatestLoadFiles">The SHA-256 of each file of the latest successful load.</param>
public sealed record RawState(long Players, long Sessions, long Events, int? HighestBatch, string? LatestEventTime,
    IReadOnlyDictionary<string, string>? LatestLoadFiles = null)
{
    public bool IsEmpty => Players == 0 && Sessions == 0 && Events == 0;

    /// <summary>
    /// The RAW tables hold exactly these files' rows, put there by the latest load: loading them again without
    /// a mode has nothing to do.
    /// </summary>
    public bool HoldsExactly(IReadOnlyDictionary<string, ManifestFile> files) =>
        LatestLoadFiles is { } latest && files.All(f => latest.GetValueOrDefault(f.Key) == f.Value.Sha256) &&
        (Players, Sessions, Events) == (files[RawSchema.Players.File].Rows, files[RawSchema.Sessions.File].Rows, files[RawSchema.Events.File].Rows);
}

/// <summary>Thrown when the warehouse cannot be reached or refuses the work; the message is one line for the user.</summary>
public sealed class WarehouseException(string message, Exception? inner = null) : Settings.GameDataException(message, Settings.ExitCodes.Failed, inner);
