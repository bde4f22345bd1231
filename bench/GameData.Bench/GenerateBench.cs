using System.Diagnostics;
using GameData.Generation;

namespace GameData.Bench;

/// <summary>Generate at a given player count: wall time inside the process, events/s, MB/s and peak memory.</summary>
public static class GenerateBench
{
    /// <summary>Runs twice in this process: cold (first call, includes JIT) and warm.</summary>
    public static void RunOne(int players)
    {
        var settings = GenerationSettings.Defaults with { Players = players };
        var folder = Path.Combine(Path.GetTempPath(), $"gamedata-bench-{Environment.ProcessId}");
        try
        {
            foreach (var run in new[] { "cold", "warm" })
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                var clock = Stopwatch.StartNew();
                var result = DatasetGenerator.Generate(settings, folder);
                var seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine(ChildProcess.Row(players, run, seconds, result.Manifest.Files[DatasetFiles.Events].Rows,
                    result.Manifest.Files.Values.Sum(f => f.Bytes) / 1e6));
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
