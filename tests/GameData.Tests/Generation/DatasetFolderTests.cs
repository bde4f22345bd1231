using GameData.Generation;
using GameData.Settings;

namespace GameData.Tests.Generation;

/// <summary>The one answer to "are these the files manifest.json records?", which Generate, ValidateCsv, Load and the report share.</summary>
[Parallelizable(ParallelScope.All)]
public class DatasetFolderTests
{
    [Test]
    public void A_file_is_as_recorded_only_with_the_size_rows_and_SHA_256_the_manifest_records()
    {
        using var folder = new TempFolder();
        DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = 20 }, folder.Path);
        var dataset = DatasetFolder.Open(folder.Path);
        Assert.That(dataset.FileOfAnotherSize(), Is.Null);
        Assert.That(dataset.FileNotAsRecorded(remembered: false), Is.Null);

        var events = folder.File(DatasetFiles.Events);
        var bytes = File.ReadAllBytes(events);
        bytes[^3] ^= 1; // other bytes, the same size
        File.WriteAllBytes(events, bytes);
        Assert.That(dataset.FileOfAnotherSize(), Is.Null);
        Assert.That(dataset.FileNotAsRecorded(remembered: false), Is.EqualTo(DatasetFiles.Events));

        File.AppendAllText(events, "x");
        Assert.That(dataset.FileOfAnotherSize(), Is.EqualTo(DatasetFiles.Events));
    }

    [Test]
    public void A_missing_manifest_is_no_error_and_an_unreadable_one_says_why()
    {
        using var folder = new TempFolder();
        Assert.That(DatasetFolder.Open(folder.Path).HasManifest, Is.False);
        Assert.That(() => DatasetFolder.Open(folder.Path).RequireFiles(),
            Throws.TypeOf<SettingsException>().With.Message.EqualTo($"{folder.Path} lacks {string.Join(", ", DatasetFiles.All)}; run Generate first"));

        File.WriteAllText(folder.File(DatasetManifest.FileName), "{");
        var unreadable = DatasetFolder.Open(folder.Path);
        Assert.That((unreadable.HasManifest, unreadable.Manifest), Is.EqualTo((true, (DatasetManifest?)null)));
        Assert.That(unreadable.ManifestError, Does.Contain("not valid JSON"));
    }
}
