using GameData.Generation;

namespace GameData.Tests.Cli;

/// <summary>
/// Re-runs that find their work done: Generate skips when the folder already holds these settings' files as
/// the manifest records them, and regenerates after any change; validation trusts the report it wrote for
/// the same files.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class UpToDateTests
{
    private static readonly string[] Small = ["--players", "50"];

    [Test]
    public void Generate_again_with_the_same_settings_is_up_to_date_and_touches_nothing()
    {
        using var data = Generated();
        var before = FolderSnapshot.Of(data.Path);

        var again = CliRunner.Run(["generate", .. Small, "--out", data.Path]);

        Assert.That(again.ExitCode, Is.Zero, again.StdErr);
        Assert.That(again.StdOut, Does.Contain("Up to date").And.Not.Contain("Wrote"));
        Assert.That(FolderSnapshot.Of(data.Path), Is.EqualTo(before));
    }

    [TestCase("--players", "51", TestName = "Another number of players")]
    [TestCase("--seed", "43", TestName = "Another seed")]
    [TestCase("--batch", "2", TestName = "Another batch")]
    [TestCase("--start", "2011-01-14", TestName = "Another start")]
    [TestCase("--end", "2011-02-11", TestName = "Another end")]
    [TestCase("--max-sessions", "24", TestName = "Another session cap")]
    [TestCase("--game-version", "1.0.4", TestName = "Another game version")]
    public void Any_other_setting_regenerates(string flag, string value)
    {
        using var data = Generated();
        string[] settings = flag == "--players" ? [] : Small;
        var result = CliRunner.Run(["generate", .. settings, flag, value, "--out", data.Path]);
        AssertRegenerated(result, data, [.. settings, flag, value]);
    }

    [TestCase("edited", false, TestName = "A file edited (same size) regenerates")]
    [TestCase("truncated", false, TestName = "A file truncated regenerates")]
    [TestCase("removed", false, TestName = "A file removed regenerates")]
    [TestCase("manifest-rows", false, TestName = "The manifest's row count edited regenerates")]
    [TestCase("manifest-sha", false, TestName = "The manifest's SHA-256 edited regenerates")]
    [TestCase("manifest-removed", false, TestName = "The manifest removed regenerates")]
    [TestCase("edited", true, TestName = "A file hashed before, then edited (same size), regenerates")]
    [TestCase("truncated", true, TestName = "A file hashed before, then truncated, regenerates")]
    [TestCase("manifest-sha", true, TestName = "Files hashed before, then the manifest's SHA-256 edited, regenerates")]
    public void Any_change_to_the_files_regenerates(string change, bool hashedBefore)
    {
        using var data = Generated();
        if (hashedBefore) RememberedByTheCache(data);
        var events = data.File(DatasetFiles.Events);
        var manifest = data.File(DatasetManifest.FileName);
        switch (change)
        {
            case "edited":
                var bytes = File.ReadAllBytes(events);
                bytes[^10] = (byte)(bytes[^10] == (byte)'1' ? '2' : '1');
                File.WriteAllBytes(events, bytes);
                break;
            case "truncated": File.WriteAllBytes(events, File.ReadAllBytes(events)[..1000]); break;
            case "removed": File.Delete(data.File(DatasetFiles.Sessions)); break;
            case "manifest-rows": File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"rows\": 50,", "\"rows\": 51,")); break;
            case "manifest-sha":
                var sha = DatasetManifest.Read(manifest).Files[DatasetFiles.Players].Sha256;
                File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(sha, new string('0', 64)));
                break;
            default: File.Delete(manifest); break;
        }

        AssertRegenerated(CliRunner.Run(["generate", .. Small, "--out", data.Path], CacheOf(data)), data, Small);
    }

    [Test]
    public void Files_hashed_before_are_up_to_date_from_the_cache()
    {
        using var data = Generated();
        RememberedByTheCache(data);

        // Other bytes behind the same size and time: only the cache can still call them up to date.
        var events = data.File(DatasetFiles.Events);
        var written = File.GetLastWriteTimeUtc(events);
        var bytes = File.ReadAllBytes(events);
        bytes[^10] = (byte)(bytes[^10] == (byte)'1' ? '2' : '1');
        File.WriteAllBytes(events, bytes);
        File.SetLastWriteTimeUtc(events, written);

        var again = CliRunner.Run(["generate", .. Small, "--out", data.Path], CacheOf(data));
        Assert.That(again.StdOut, Does.Contain("Up to date"), "the events file was not read again");
        AssertRegenerated(CliRunner.Run(["generate", .. Small, "--force", "--out", data.Path]), data, Small);
    }

    [Test]
    public void The_cache_is_in_XDG_CACHE_HOME_else_in_the_home_folder_never_in_the_working_folder()
    {
        using var data = Generated();
        using var work = new TempFolder();
        foreach (var file in Directory.GetFiles(data.Path)) File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        CliResult Check(string xdgCacheHome) => CliRunner.Run(["generate", .. Small, "--out", data.Path], new Dictionary<string, string?>
        {
            [GameData.Files.FileFactsCache.FolderVariable] = "", ["XDG_CACHE_HOME"] = xdgCacheHome, ["HOME"] = work.File("home"),
        }, work.Path);

        Assert.That(Check(work.File("caches")).StdOut, Does.Contain("Up to date"));
        Assert.That(File.Exists(work.File("caches/gamedata/file-facts.json")), Is.True);

        // A relative XDG_CACHE_HOME is ignored; without a home folder, nothing is remembered.
        Assert.That(Check("relative").StdOut, Does.Contain("Up to date"));
        Assert.That(Directory.GetFileSystemEntries(work.Path), Is.EqualTo(new[] { work.File("caches") }), "nothing in the working folder");
        Directory.CreateDirectory(work.File("home"));
        Assert.That(Check("relative").StdOut, Does.Contain("Up to date"));
        Assert.That(File.Exists(work.File("home/.cache/gamedata/file-facts.json")), Is.True);
    }

    [Test]
    public void Force_always_regenerates()
    {
        using var data = Generated();
        AssertRegenerated(CliRunner.Run(["generate", .. Small, "--force", "--out", data.Path]), data, Small);
    }

    [Test]
    public void Validation_trusts_its_own_report_for_the_same_files_only()
    {
        using var data = Generated();
        var report = data.File("validation.json");
        var first = CliRunner.Run(["validate", "--data", data.Path, "--report", report]);
        Assert.That(first.StdOut, Does.Contain("Validating").And.Contain("Valid."));

        var again = CliRunner.Run(["validate", "--data", data.Path, "--report", report]);
        Assert.That(again.ExitCode, Is.Zero, again.StdErr);
        Assert.That(again.StdOut, Does.Contain("Up to date").And.Contain("Valid.").And.Not.Contain("Validating"));
        Assert.That(again.StdOut, Does.Contain("raw_game_events.csv"), "the summary, from the report");

        var strict = CliRunner.Run(["validate", "--data", data.Path, "--report", report, "--strict"]);
        Assert.That(strict.StdOut, Does.Contain("Validating"), "other options: validated again");

        File.AppendAllText(data.File(DatasetFiles.Players), "player_1,2011-01-13 10:00:00,us,en,easy\n");
        var edited = CliRunner.Run(["validate", "--data", data.Path, "--report", report]);
        Assert.That(edited.ExitCode, Is.EqualTo(1), "a changed file is validated again, and fails");
        Assert.That(edited.StdOut, Does.Contain("Validating").And.Contain("duplicate-key"));
    }

    private static TempFolder Generated()
    {
        var folder = new TempFolder();
        var result = CliRunner.Run(["generate", .. Small, "--out", folder.Path]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        return folder;
    }

    /// <summary>Files generated an hour ago and found up to date since: their SHA-256 values are in the cache.</summary>
    private static void RememberedByTheCache(TempFolder data)
    {
        foreach (var file in Directory.GetFiles(data.Path)) File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        var check = CliRunner.Run(["generate", .. Small, "--out", data.Path], CacheOf(data));
        Assert.That(check.StdOut, Does.Contain("Up to date"), check.StdErr);
    }

    /// <summary>A cache of the test's own, which no other test writes meanwhile.</summary>
    private static Dictionary<string, string?> CacheOf(TempFolder data) =>
        new() { [GameData.Files.FileFactsCache.FolderVariable] = data.File(".cache") };

    /// <summary>It generated, and the folder now holds exactly what a fresh generation of those settings writes.</summary>
    private static void AssertRegenerated(CliResult result, TempFolder data, string[] settings)
    {
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("Wrote").And.Not.Contain("Up to date"));
        using var fresh = new TempFolder();
        Assert.That(CliRunner.Run(["generate", .. settings, "--out", fresh.Path]).ExitCode, Is.Zero);
        foreach (var file in DatasetFiles.All)
            Assert.That(File.ReadAllBytes(data.File(file)), Is.EqualTo(File.ReadAllBytes(fresh.File(file))), file);
    }
}
