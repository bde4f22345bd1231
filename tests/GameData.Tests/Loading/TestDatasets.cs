using System.Collections.Concurrent;
using GameData.Generation;

namespace GameData.Tests.Loading;

/// <summary>Datasets generated once per test run and shared read-only by the loading tests.</summary>
public static class TestDatasets
{
    private static readonly string Root = TestRunFolders.Of("datasets");
    private static readonly ConcurrentDictionary<string, Lazy<string>> Folders = new();

    public static readonly GenerationSettings DefaultSettings = GenerationSettings.Defaults;
    public static readonly GenerationSettings Batch2Settings = GenerationSettings.Defaults with
    {
        Players = 300, Batch = 2, Start = new DateOnly(2011, 2, 13), End = new DateOnly(2011, 3, 15),
    };

    /// <summary>The course's default dataset: 2,000 / 6,106 / 228,220 rows.</summary>
    public static string Default => Get("default", DefaultSettings);

    /// <summary>The course's incremental batch 2 (the batch2 fixture's settings): 300 / 901 / 33,025 rows.</summary>
    public static string Batch2 => Get("batch2", Batch2Settings);

    public static string Small => Get("small", DefaultSettings with { Players = 200 });

    /// <summary>A state to start from where only that it differs matters: 20 players.</summary>
    public static string Tiny => Get("tiny", DefaultSettings with { Players = 20 });

    /// <summary>Just above one DuckDB row group of events (122,880 rows): 1,250 / 3,733 / 138,906 rows, for the kill sweep.</summary>
    public static string OneRowGroup => Get("one-row-group", DefaultSettings with { Players = 1_250 });

    /// <summary>Batch 2 just above one DuckDB row group of events, for appends in the kill sweep.</summary>
    public static string OneRowGroupBatch2 => Get("one-row-group-batch2", Batch2Settings with { Players = 1_250 });

    /// <summary>A load of a few seconds, for progress and a full disk.</summary>
    public static string Medium => Get("medium", DefaultSettings with { Players = 5_000 });

    private static string Get(string name, GenerationSettings settings) =>
        Folders.GetOrAdd(name, _ => new Lazy<string>(() =>
        {
            var folder = Path.Combine(Root, name);
            DatasetGenerator.Generate(settings, folder);
            return folder;
        })).Value;

    /// <summary>A private copy of a dataset, for tests that change files.</summary>
    public static TempFolder CopyOf(string dataset)
    {
        var copy = new TempFolder();
        foreach (var file in Directory.GetFiles(dataset)) File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        return copy;
    }
}
