using System.Diagnostics;
using System.Text.Json;
using GameData.Files;
using GameData.Tests.Loading;
using static GameData.Tests.Cli.BadInputTests;

namespace GameData.Tests.Cli;

/// <summary>
/// The files a user names for a command's output (<c>validate --report</c>, <c>--result-json</c>, <c>report --out</c>;
/// issue 16, items 2 and 14): a symbolic link is followed and stays a link, a device or a FIFO is written into and
/// never replaced, <c>-</c> is standard output, and a place that cannot be written is refused before the work.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class OutputPathTests
{
    [TestCase("validate", "--report")]
    [TestCase("validate", "--result-json")]
    [TestCase("report", "--out")]
    public void A_symbolic_link_is_followed_and_stays_a_link(string verb, string flag)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("real"));
        File.WriteAllText(folder.File("real/output"), "old");
        File.CreateSymbolicLink(folder.File("link"), Path.Combine("real", "output"));

        var result = CliRunner.Run([verb, "--data", TestDatasets.Small, flag, folder.File("link")]);

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        Assert.That(new FileInfo(folder.File("link")).LinkTarget, Is.EqualTo(Path.Combine("real", "output")), "still the same link");
        Assert.That(File.ReadAllText(folder.File("real/output")), Is.Not.EqualTo("old"), "the file it points to was written");
        Assert.That(Directory.GetFiles(folder.File("real")), Has.Length.EqualTo(1), "no temporary file left");
        Assert.That(Directory.GetFiles(folder.Path), Has.Length.EqualTo(1), "nothing beside the link");
    }

    [TestCase("validate", "--report")]
    [TestCase("validate", "--result-json")]
    [TestCase("report", "--out")]
    public void A_device_is_written_into_never_replaced(string verb, string flag)
    {
        using var folder = new TempFolder();
        // A null device of the test's own, so that a failure cannot replace the system's /dev/null.
        var device = folder.File("null");
        if (Run("mknod", device, "c", "1", "3") is { } problem) Assert.Ignore($"cannot make a device here ({problem}); this test needs root");

        var result = CliRunner.Run([verb, "--data", TestDatasets.Small, flag, device]);

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        Assert.That(SpecialFiles.IsDeviceOrPipe(device), Is.True, "still a device");
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Has.Length.EqualTo(1), "no temporary file beside it");
    }

    [Test]
    public void A_FIFO_is_written_into_never_replaced()
    {
        using var folder = new TempFolder();
        var fifo = folder.File("results");
        Assert.That(Run("mkfifo", fifo), Is.Null);
        var read = Task.Run(() => File.ReadAllText(fifo));

        var result = CliRunner.Run(["validate", "--data", TestDatasets.Small, "--result-json", fifo]);

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        Assert.That(read.Wait(TimeSpan.FromSeconds(30)), Is.True, "the reader got the end of the file");
        using (var json = JsonDocument.Parse(read.Result)) Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("valid"));
        Assert.That(SpecialFiles.IsDeviceOrPipe(fifo), Is.True, "still a FIFO");
    }

    [Test]
    public void A_dash_is_standard_output_which_then_carries_the_json_alone()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run(["validate", "--data", TestDatasets.Small, "--result-json", "-"], workingDirectory: folder.Path);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        using (var json = JsonDocument.Parse(result.StdOut)) Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("valid"));
        Assert.That(result.StdErr, Does.Contain("rows read"), "the log went to standard error");
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty, "no file named -");
    }

    [Test]
    public void Two_outputs_cannot_both_be_standard_output()
    {
        var result = CliRunner.Run(["validate", "--data", TestDatasets.Small, "--report", "-", "--result-json", "-"]);
        AssertBadInput(result, "--report and --result-json cannot both be written to standard output");
        Assert.That(result.StdOut + result.StdErr, Does.Not.Contain("rows read"));
    }

    // /sys refuses new files even to root, unlike a permission bit.
    [TestCase("validate", "--report", "/sys/report.json", "rows read")]
    [TestCase("validate", "--result-json", "/sys/result.json", "rows read")]
    [TestCase("report", "--out", "/sys/report.html", "running the queries")]
    public void An_output_that_cannot_be_written_is_refused_before_the_work(string verb, string flag, string path, string work)
    {
        var result = CliRunner.Run([verb, "--data", TestDatasets.Small, flag, path]);
        AssertBadInput(result, $"{flag} '{path}' cannot be written");
        Assert.That(result.StdOut, Does.Not.Contain(work), "nothing was done");
        Assert.That(result.StdErr, Does.Not.Contain(".tmp"), "the user's path is named, not a hidden temporary file");
    }

    [Test]
    public void An_output_under_a_file_instead_of_a_folder_is_refused_before_the_work()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("notes"), "");
        var result = CliRunner.Run(["validate", "--data", TestDatasets.Small, "--report", folder.File("notes/report.json")]);
        AssertBadInput(result, $"--report '{folder.File("notes/report.json")}' cannot be written: {folder.File("notes")} is a file, not a folder");
        Assert.That(result.StdOut, Does.Not.Contain("rows read"));
    }

    [Test]
    public void A_load_whose_result_file_cannot_be_written_is_refused_before_loading()
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        var before = target.Snapshot();

        var result = CliRunner.Run(["load", "--data", TestDatasets.Small, "--mode", "recreate", "--result-json", "/sys/load.json", .. target.CliArgs]);

        AssertBadInput(result, "--result-json '/sys/load.json' cannot be written");
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [TestCase("--dry-run")]
    [TestCase("--mode=recreate")]
    public void A_load_into_a_read_only_folder_names_the_DuckDB_file_not_its_hidden_lock(string flag)
    {
        using var disk = ReadOnlyDisk.Mount();
        var file = Path.Combine(disk.Path, "w.duckdb");
        using (var target = new DuckDbTarget()) GameData.Migrations.MigrationRunner.Run(target.Settings with { DuckDbPath = file }, WarehouseTarget.MigrationsFolder, dryRun: false, _ => { });
        var before = File.ReadAllBytes(file);
        disk.MakeReadOnly();

        var result = CliRunner.Run(["load", "--data", TestDatasets.Small, "--duckdb", file, flag]);

        AssertBadInput(result, $"cannot use the DuckDB file {file}: its folder {disk.Path} is read-only");
        Assert.That(result.StdErr, Does.Not.Contain(".lock"));
        Assert.That(File.ReadAllBytes(file), Is.EqualTo(before));
    }

    internal static string? Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : error.Trim();
    }

    /// <summary>A small tmpfs, writable until <see cref="MakeReadOnly"/> (needs root, as the CI machine runs).</summary>
    private sealed class ReadOnlyDisk : IDisposable
    {
        private ReadOnlyDisk(string path) => Path = path;

        public string Path { get; }

        public static ReadOnlyDisk Mount()
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gamedata-tests", "ro-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(path);
            if (Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", path) is { } problem)
            {
                Directory.Delete(path);
                Assert.Ignore($"cannot mount a tmpfs here ({problem}); this test needs root");
            }
            return new ReadOnlyDisk(path);
        }

        public void MakeReadOnly() => Assert.That(Run("mount", "-o", "remount,ro", Path), Is.Null);

        public void Dispose()
        {
            Run("umount", Path);
            Directory.Delete(Path);
        }
    }
}
