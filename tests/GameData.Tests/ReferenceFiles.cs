using System.IO.Compression;

namespace GameData.Tests;

/// <summary>The reference pipeline's fixtures and vectors, copied beside the test assembly.</summary>
public static class ReferenceFiles
{
    public static string Folder => Path.Combine(TestContext.CurrentContext.TestDirectory, "Reference");

    public static string RngVectors => Path.Combine(Folder, "rng-vectors.txt");

    /// <summary>The uncompressed bytes of <c>fixtures/&lt;name&gt;/&lt;file&gt;.gz</c>.</summary>
    public static byte[] Fixture(string name, string file)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(Folder, "fixtures", name, file + ".gz")), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = TestRunFolders.Of(Guid.NewGuid().ToString("N")[..10]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
