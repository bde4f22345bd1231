using System.Security.Cryptography;

namespace GameData.Loading;

/// <summary>Checks that files still have the SHA-256 the manifest recorded; a changed file refuses the load.</summary>
public static class FileDigests
{
    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Throws <see cref="WarehouseException"/> naming the first file whose digest differs.</summary>
    public static void Verify(LoadPlan plan, string file, string actual)
    {
        var expected = plan.Manifest.Files[file].Sha256;
        if (actual != expected)
            throw new WarehouseException($"{file} changed after it was generated (SHA-256 {actual[..12]}…, manifest {expected[..12]}…); nothing was loaded");
    }
}
