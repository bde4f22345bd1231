using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GameData.Files;
using GameData.Tests.Loading;
using GameData.Warehouses;
using GameData.Warehouses.DuckDb;
using GameData.Warehouses.Postgres;
using static GameData.Tests.Cli.BadInputTests;

namespace GameData.Tests.Cli;

/// <summary>
/// Messages that said less than they knew, or named what the user never named (issue 16, item 20): each says the
/// allowed range, the user's file, the time spent waiting apart from the time spent loading.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class PlainMessageTests
{
    [Test]
    public void A_number_too_large_says_the_range()
    {
        using var folder = new TempFolder();
        AssertBadInput(CliRunner.Run(["generate", "--players", "99999999999", "--out", folder.Path]),
            "--players '99999999999' is out of range: a whole number from 1 to 2,147,483,647");
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty);
    }

    [Test]
    public void An_anomalies_file_with_a_kind_given_twice_is_refused()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("spec.json"), """{"duplicate-event": 2, "duplicate-event": 5}""");
        AssertBadInput(CliRunner.Run(["generate", "--players", "50", "--anomalies", folder.File("spec.json"), "--out", folder.File("data")]),
            $"{folder.File("spec.json")}: 'duplicate-event' is given twice; give each kind once");
        Assert.That(Directory.Exists(folder.File("data")), Is.False);
    }

    [Test]
    public void A_connection_without_user_or_database_is_described_without_empty_parts()
    {
        var settings = new WarehouseSettings(PostgresProvider.Instance, "raw", "", "Host=db.example;Port=5433");
        Assert.That(settings.Describe(), Is.EqualTo("postgres db.example:5433 (schema raw)"));
        Assert.That((settings with { PostgresConnectionString = "Host=db.example;Username=ann;Database=course" }).Describe(),
            Is.EqualTo("postgres ann@db.example:5432/course (schema raw)"));
    }

    [Test]
    public void A_load_that_waited_for_the_lock_says_the_wait_apart_from_the_load()
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        var held = DuckDbFile.Lock(target.Settings.DuckDbPath, _ => { }, TimeSpan.Zero);
        using var load = CliRunner.Start(["load", "--data", TestDatasets.Small, "--mode", "recreate", .. target.CliArgs]);
        var errors = load.StandardError.ReadToEndAsync();
        while (load.StandardOutput.ReadLine() is { } line && !line.Contains("waiting up to", StringComparison.Ordinal)) { }
        // The load has waited at least as long as the test holds the lock after seeing that line.
        var holding = Stopwatch.StartNew();
        held.Dispose();
        var heldAfterTheLine = holding.Elapsed.TotalSeconds;
        var output = load.StandardOutput.ReadToEnd();
        load.WaitForExit();

        Assert.That(load.ExitCode, Is.Zero, errors.Result);
        var loaded = Regex.Match(output, @"Loaded [\d,]+ rows in \d+\.\d s, after waiting (\d+\.\d) s for the lock\.");
        Assert.That(loaded.Success, Is.True, output);
        Assert.That(double.Parse(loaded.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(Math.Floor(heldAfterTheLine * 10) / 10));
    }

    [Test]
    public void A_full_disk_names_the_users_file_not_a_hidden_temporary_one()
    {
        using var disk = SmallDisk.Mount();
        var result = CliRunner.Run(["generate", "--players", "2000", "--out", Path.Combine(disk.Path, "data")]);
        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut + result.StdErr);
        Assert.That(result.ErrorLines.Single(), Does.Contain("No space left on device").And.Contain(Path.Combine(disk.Path, "data", "raw_game_events.csv")));
        Assert.That(result.StdErr, Does.Not.Contain(".tmp"));
    }

    [TestCase("migrate")]
    [TestCase("load")]
    public void A_device_as_the_DuckDB_file_is_refused_and_no_lock_is_made_beside_it(string verb)
    {
        using var folder = new TempFolder();
        // A null device of the test's own: nothing may be created beside /dev/null itself.
        var device = folder.File("null");
        if (OutputPathTests.Run("mknod", device, "c", "1", "3") is { } problem) Assert.Ignore($"cannot make a device here ({problem}); this test needs root");

        string[] args = verb == "load" ? ["load", "--duckdb", device, "--data", TestDatasets.Small, "--dry-run"] : ["migrate", "--duckdb", device, "--dry-run"];
        AssertBadInput(CliRunner.Run(args), $"{device} is not a regular file; give a DuckDB file");
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EqualTo(new[] { device }), "no lock file beside it");
        Assert.That(SpecialFiles.IsDeviceOrPipe(device), Is.True);
    }

    /// <summary>A 1 MB tmpfs (needs root, as the CI machine runs).</summary>
    private sealed class SmallDisk : IDisposable
    {
        private SmallDisk(string path) => Path = path;

        public string Path { get; }

        public static SmallDisk Mount()
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gamedata-tests", "small-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(path);
            if (OutputPathTests.Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", path) is { } problem)
            {
                Directory.Delete(path);
                Assert.Ignore($"cannot mount a tmpfs here ({problem}); this test needs root");
            }
            return new SmallDisk(path);
        }

        public void Dispose()
        {
            OutputPathTests.Run("umount", Path);
            Directory.Delete(Path);
        }
    }
}
