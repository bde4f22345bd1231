using GameData.Files;
using GameData.Generation;
using GameData.Settings;

namespace GameData.Loading;

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

    /// <summary>
    /// Checks a file as the load read it: throws <see cref="WarehouseException"/> when it changed since the manifest
    /// was written, and <see cref="SettingsException"/> (bad input) when the manifest's row count is not the file's.
    /// Either refuses the load before anything is committed.
    /// </summary>
    public void Verify(string file, FileFacts actual)
    {
        var expected = Files[file];
        if (actual.Sha256 != expected.Sha256)
            throw new WarehouseException($"{file} changed after it was generated (SHA-256 {actual.Sha256[..12]}…, " +
                $"manifest {expected.Sha256[..12]}…); nothing was loaded");
        if (actual.Rows != expected.Rows)
            throw new SettingsException($"{file} holds {actual.Rows:N0} rows; {FilesSource} says {expected.Rows:N0}; nothing was loaded");
    }
}
