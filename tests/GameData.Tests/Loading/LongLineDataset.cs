using GameData.Generation;

namespace GameData.Tests.Loading;

/// <summary>The small dataset with one event's game version 2.5 MB long (a line over DuckDB's default 2 MB limit), no manifest.</summary>
public static class LongLineDataset
{
    public const int VersionLength = 2_500_000;

    public static TempFolder Make()
    {
        var data = TestDatasets.CopyOf(TestDatasets.Small);
        File.Delete(data.File(DatasetManifest.FileName));
        var events = data.File(DatasetFiles.Events);
        var lines = File.ReadAllLines(events);
        lines[4] = lines[4].Replace(",1.0.3,", $",{new string('9', VersionLength)},", StringComparison.Ordinal);
        File.WriteAllText(events, string.Join('\n', lines) + "\n");
        return data;
    }
}
