namespace GameData.Files;

/// <summary>A file's SHA-256 and how many CSV rows it holds (records after the header).</summary>
public sealed record FileFacts(string Sha256, long Rows)
{
    /// <summary>Reads the whole file.</summary>
    public static FileFacts Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var facts = new FileFactsBuilder();
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0) facts.Append(buffer.AsSpan(0, read));
        return facts.Complete();
    }
}
