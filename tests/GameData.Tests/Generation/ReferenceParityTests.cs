using System.Security.Cryptography;
using GameData.Generation;

namespace GameData.Tests.Generation;

/// <summary>Generate against the reference pipeline's own output: byte for byte, and by SHA-256 (GENERATOR.md section 8).</summary>
[Parallelizable(ParallelScope.Self)]
public class ReferenceParityTests
{
    private static readonly GenerationSettings Small = GenerationSettings.Defaults with { Players = 200 };

    private static readonly GenerationSettings Batch2 = GenerationSettings.Defaults with
    {
        Players = 300, Batch = 2, Start = new DateOnly(2011, 2, 13), End = new DateOnly(2011, 3, 15),
    };

    [TestCase("small")]
    [TestCase("batch2")]
    public void Fixture_is_reproduced_byte_for_byte(string fixture)
    {
        var settings = fixture == "small" ? Small : Batch2;
        using var folder = new TempFolder();
        DatasetGenerator.Generate(settings, folder.Path);
        foreach (var file in DatasetFiles.All)
        {
            var expected = ReferenceFiles.Fixture(fixture, file);
            var actual = File.ReadAllBytes(folder.File(file));
            Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{fixture}/{file} length");
            Assert.That(actual.AsSpan().SequenceEqual(expected), Is.True, $"{fixture}/{file} bytes (first difference at {FirstDifference(actual, expected)})");
        }
    }

    [Test]
    public void Default_settings_give_the_published_checksums_and_counts()
    {
        using var folder = new TempFolder();
        var result = DatasetGenerator.Generate(GenerationSettings.Defaults, folder.Path);
        var expected = new Dictionary<string, (string Sha, long Rows)>
        {
            [DatasetFiles.Players] = ("f969aeae41a90edefc75e2faed8432fbb6384aeed6c364797002b3502b3f8c4b", 2000),
            [DatasetFiles.Sessions] = ("68aa55acc5c3ca6b1305cff0424309a7ea1a05357ee7d99c2d3e4cc1bbf1f426", 6106),
            [DatasetFiles.Events] = ("64752fba8fb09435b22464792bf752ccd7bc02b074b85bd634189ef706e1681d", 228220),
        };
        foreach (var (file, (sha, rows)) in expected)
        {
            Assert.That(Sha256Of(folder.File(file)), Is.EqualTo(sha), $"{file} on disk");
            Assert.That(result.Manifest.Files[file].Sha256, Is.EqualTo(sha), $"{file} in the manifest");
            Assert.That(result.Manifest.Files[file].Rows, Is.EqualTo(rows), $"{file} rows");
        }
    }

    [Test]
    public void Manifest_on_disk_records_the_settings_and_matches_the_files()
    {
        using var folder = new TempFolder();
        DatasetGenerator.Generate(Batch2, folder.Path);
        var manifest = DatasetManifest.Read(folder.File(DatasetManifest.FileName));
        Assert.That(manifest.Settings, Is.EqualTo(new ManifestSettings(300, 25, "1.0.3", "42", 2, "2011-02-13", "2011-03-15")));
        Assert.That(manifest.Window, Is.EqualTo(new ManifestWindow("2011-02-13 00:00:00", "2011-03-16 00:00:00")));
        foreach (var file in DatasetFiles.All)
        {
            Assert.That(manifest.Files[file].Sha256, Is.EqualTo(Sha256Of(folder.File(file))), file);
            Assert.That(manifest.Files[file].Bytes, Is.EqualTo(new FileInfo(folder.File(file)).Length), file);
            Assert.That(manifest.Files[file].Rows, Is.EqualTo(File.ReadLines(folder.File(file)).Count() - 1), file);
        }
    }

    [Test]
    public void A_game_version_with_a_comma_is_quoted_in_the_events_file()
    {
        using var folder = new TempFolder();
        DatasetGenerator.Generate(Small with { Players = 2, GameVersion = "1.0,\"beta\"" }, folder.Path);
        var firstEvent = File.ReadLines(folder.File(DatasetFiles.Events)).ElementAt(1);
        Assert.That(firstEvent, Does.Contain(",\"1.0,\"\"beta\"\"\",\"{"));
    }

    [Test]
    public void A_window_where_no_session_survives_gives_header_only_session_and_event_files()
    {
        using var folder = new TempFolder();
        // One player on a one-day window: the first session's gap pushes it past the end of the day.
        var settings = Small with { Players = 1, Start = new DateOnly(2011, 1, 13), End = new DateOnly(2011, 1, 13), Seed = 1 };
        var result = DatasetGenerator.Generate(settings, folder.Path);
        Assert.That(result.NoSessions, Is.True);
        Assert.That(File.ReadAllText(folder.File(DatasetFiles.Sessions)), Is.EqualTo(SessionGenerator.Header + "\n"));
        Assert.That(File.ReadAllText(folder.File(DatasetFiles.Events)), Is.EqualTo(EventGenerator.Header + "\n"));
        Assert.That(result.Manifest.Files[DatasetFiles.Players].Rows, Is.EqualTo(1));
    }

    internal static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++) if (a[i] != b[i]) return i;
        return length;
    }
}
