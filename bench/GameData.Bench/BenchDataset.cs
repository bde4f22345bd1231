using GameData.Generation;

namespace GameData.Bench;

/// <summary>A dataset generated into a temporary folder for one benchmark, deleted afterwards.</summary>
public sealed class BenchDataset : IDisposable
{
    public BenchDataset(string name, int players)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"gamedata-bench-{name}-{Environment.ProcessId}-{players}");
        Manifest = DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = players }, Folder).Manifest;
    }

    public string Folder { get; }
    public DatasetManifest Manifest { get; }
    public long Events => Manifest.Files[DatasetFiles.Events].Rows;
    public double Megabytes => Manifest.Files.Values.Sum(f => f.Bytes) / 1e6;

    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
