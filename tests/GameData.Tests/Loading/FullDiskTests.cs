using System.Diagnostics;

namespace GameData.Tests.Loading;

/// <summary>
/// A DuckDB load that fills the disk fails with a clear error and gives the space back: the file keeps its
/// size and rows, no copy stays behind, and the next (small) load runs. The disk is a 24 MB tmpfs.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class FullDiskTests
{
    [Test]
    public void A_load_that_fills_the_disk_leaves_the_file_as_it_was_and_the_space_free()
    {
        using var disk = SmallDisk.Mount(24);
        using var target = new DuckDbTarget();
        var file = Path.Combine(disk.Path, "warehouse.duckdb");
        var settings = target.Settings with { DuckDbPath = file };
        GameData.Migrations.MigrationRunner.Run(settings, WarehouseTarget.MigrationsFolder, dryRun: false, _ => { });
        string[] args = ["--duckdb", file];
        Assert.That(CliRunner.Run(["load", "--mode", "recreate", "--data", TestDatasets.Small, .. args]).ExitCode, Is.Zero);
        var size = new FileInfo(file).Length;
        var free = new DriveInfo(disk.Path).AvailableFreeSpace;

        var full = CliRunner.Run(["load", "--mode", "recreate", "--data", TestDatasets.Medium, .. args]);

        Assert.That(full.ExitCode, Is.EqualTo(1), full.StdOut + full.StdErr);
        Assert.That(full.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(full.ErrorLines[0], Does.Contain("space").IgnoreCase);
        // The ledger's row for the failed load is the only change: a block or two, not the batch.
        Assert.That(new FileInfo(file).Length - size, Is.LessThan(1 << 20), "the file did not grow with the batch");
        Assert.That(Directory.GetFiles(disk.Path, "*.tmp*"), Is.Empty, "no copy stays behind");
        Assert.That(new DriveInfo(disk.Path).AvailableFreeSpace, Is.GreaterThan(free - (1 << 20)), "the space is free again");
        Assert.That(CountEvents(file), Is.EqualTo(23206), "the rows are the old ones");
        var again = CliRunner.Run(["load", "--mode", "append", "--data", TestDatasets.Small, .. args]);
        Assert.That(again.ExitCode, Is.Zero, again.StdErr);
        Assert.That(again.StdOut, Does.Contain("Nothing new"));
    }

    private static long CountEvents(string file)
    {
        using var connection = GameData.Warehouses.DuckDb.DuckDbFile.Connect(file, threads: null);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM raw.RAW_GAME_EVENTS";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>A size-limited tmpfs, mounted for one test (needs root, as the CI machine runs).</summary>
    private sealed class SmallDisk : IDisposable
    {
        private SmallDisk(string path) => Path = path;

        public string Path { get; }

        public static SmallDisk Mount(int megabytes)
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gamedata-tests", "disk-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(path);
            if (Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path) is { } problem)
            {
                Directory.Delete(path);
                Assert.Ignore($"cannot mount a small tmpfs here ({problem}); this test needs root");
            }
            return new SmallDisk(path);
        }

        public void Dispose()
        {
            Run("umount", Path);
            Directory.Delete(Path);
        }

        private static string? Run(string command, params string[] args)
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : error.Trim();
        }
    }
}
