using System.Security.Cryptography;
using GameData.Settings;

namespace GameData.Loading;

/// <summary>A file's SHA-256 and how many CSV rows it holds (records after the header).</summary>
public sealed record FileFacts(string Sha256, long Rows);

/// <summary>
/// Checks files against the manifest as a load reads them: a changed file (SHA-256) or a manifest whose row
/// count is not the file's refuses the load before anything is committed.
/// </summary>
public static class FileDigests
{
    public static FileFacts Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var facts = new FileFactsBuilder();
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0) facts.Append(buffer.AsSpan(0, read));
        return facts.Complete();
    }

    /// <summary>
    /// Throws <see cref="WarehouseException"/> when the file changed since the manifest was written, and
    /// <see cref="SettingsException"/> (bad input) when the manifest's row count is not the file's.
    /// </summary>
    public static void Verify(LoadPlan plan, string file, FileFacts actual)
    {
        var expected = plan.Files[file];
        if (actual.Sha256 != expected.Sha256)
            throw new WarehouseException($"{file} changed after it was generated (SHA-256 {actual.Sha256[..12]}…, manifest {expected.Sha256[..12]}…); nothing was loaded");
        if (actual.Rows != expected.Rows)
            throw new SettingsException($"{file} holds {actual.Rows:N0} rows; {plan.FilesSource} says {expected.Rows:N0}; nothing was loaded");
    }
}

/// <summary>
/// SHA-256 and CSV records of bytes fed in order. A record ends at a line break outside double quotes, so a
/// quoted field holding a line break stays one row, as every CSV reader counts it.
/// </summary>
public sealed class FileFactsBuilder
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _inQuotes;
    private long _lineBreaks;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _sha256.AppendData(bytes);
        var rest = bytes;
        while (true)
        {
            var next = _inQuotes ? rest.IndexOf((byte)'"') : rest.IndexOfAny((byte)'"', (byte)'\n');
            if (next < 0) return;
            if (rest[next] == '"') _inQuotes = !_inQuotes;
            else _lineBreaks++;
            rest = rest[(next + 1)..];
        }
    }

    /// <summary>The digest and the rows: records minus the header.</summary>
    public FileFacts Complete()
    {
        var facts = new FileFacts(Convert.ToHexStringLower(_sha256.GetHashAndReset()), Math.Max(0, _lineBreaks - 1));
        _sha256.Dispose();
        return facts;
    }
}
