using GameData.Generation;

namespace GameData.Loading;

public enum LoadMode { Recreate, Append }

/// <summary>One load, decided before anything is written: which files, which batch, which mode.</summary>
public sealed record LoadPlan(string LoadId, string DataDirectory, DatasetManifest Manifest, LoadMode Mode, DateTimeOffset StartedAt)
{
    public int Batch => Manifest.Settings.Batch;

    public string PathOf(string file) => Path.Combine(DataDirectory, file);

    public long RowsIn(string file) => Manifest.Files[file].Rows;

    public static string NewLoadId(DateTimeOffset now) => $"load_{now:yyyyMMdd'T'HHmmss'Z'}_{Guid.NewGuid().ToString("N")[..6]}";
}

/// <summary>Rows inserted and skipped (primary key already there) for one RAW table.</summary>
public sealed record TableCounts(long Inserted, long Skipped);

public sealed record LoadCounts(TableCounts Players, TableCounts Sessions, TableCounts Events)
{
    public long Inserted => Players.Inserted + Sessions.Inserted + Events.Inserted;
}

/// <summary>What the RAW schema holds now; null fields where there is nothing yet.</summary>
public sealed record RawState(long Players, long Sessions, long Events, int? HighestBatch, string? LatestEventTime)
{
    public bool IsEmpty => Players == 0 && Sessions == 0 && Events == 0;
}

/// <summary>Thrown when the warehouse cannot be reached or refuses the work; the message is one line for the user.</summary>
public sealed class WarehouseException(string message, Exception? inner = null) : Exception(message, inner);
