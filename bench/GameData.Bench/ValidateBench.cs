using System.Diagnostics;
using GameData.Generation;
using GameData.Settings;
using GameData.Validation;

namespace GameData.Bench;

/// <summary>ValidateCsv over a freshly generated dataset: wall time, MB/s of CSV and peak memory (generation not timed).</summary>
public static class ValidateBench
{
    public static void RunOne(int players)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gamedata-bench-{Environment.ProcessId}");
        try
        {
            var generated = DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = players }, folder);
            var megabytes = generated.Manifest.Files.Values.Sum(f => f.Bytes) / 1e6;
            var events = generated.Manifest.Files[DatasetFiles.Events].Rows;
            foreach (var run in new[] { "cold", "warm" })
            {
                var clock = Stopwatch.StartNew();
                var report = DatasetValidator.Validate(new ValidationOptions(folder, Strict: true));
                var seconds = clock.Elapsed.TotalSeconds;
                if (!report.IsValid) throw new InvalidOperationException("the generated dataset did not validate");
                Console.WriteLine(ChildProcess.Row(players, run, seconds, events, megabytes));
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
