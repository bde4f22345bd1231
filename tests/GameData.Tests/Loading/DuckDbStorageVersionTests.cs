using GameData.Loading;

namespace GameData.Tests.Loading;

/// <summary>
/// A DuckDB file's storage version (the <c>uint64</c> after the magic <c>DUCK</c> in its main header): the tool
/// writes one every DuckDB since 1.0 reads, and refuses in one line a file a newer DuckDB rewrote.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class DuckDbStorageVersionTests
{
    [Test]
    public void The_file_a_load_writes_is_in_storage_version_64_which_DuckDB_1_0_and_later_read()
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        Assert.That(StorageVersion(target.Settings.DuckDbPath), Is.EqualTo(64));
    }

    [Test]
    public void A_file_in_a_newer_storage_version_is_refused_in_one_line_with_the_fix()
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        SetStorageVersion(target.Settings.DuckDbPath, 69);

        var result = CliRunner.Run(["load", "--mode", "append", "--data", TestDatasets.Small, .. target.CliArgs]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.StdOut + result.StdErr);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.Contain(target.Settings.DuckDbPath).And.Contain("storage version 69").And.Contain("64 to 68")
            .And.Contain("duckdb>=1.0,<1.6").And.Contain("gamedata reset"));
    }

    private static long StorageVersion(string path)
    {
        using var stream = File.OpenRead(path);
        var header = new byte[20];
        stream.ReadExactly(header);
        Assert.That(header[8..12], Is.EqualTo("DUCK"u8.ToArray()));
        return BitConverter.ToInt64(header, 12);
    }

    /// <summary>What a newer DuckDB leaves behind (the header's checksum no longer matches: the tool must not get that far).</summary>
    private static void SetStorageVersion(string path, long version)
    {
        using var stream = File.OpenWrite(path);
        stream.Position = 12;
        stream.Write(BitConverter.GetBytes(version));
    }
}
