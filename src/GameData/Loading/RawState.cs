using GameData.Generation;

namespace GameData.Loading;

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
        (Players, Sessions, Events) ==
            (files[RawSchema.Players.File].Rows, files[RawSchema.Sessions.File].Rows, files[RawSchema.Events.File].Rows);
}
