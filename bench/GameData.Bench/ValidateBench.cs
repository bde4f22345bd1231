using System.Diagnostics;
using GameData.Validation;

namespace GameData.Bench;

/// <summary>ValidateCsv over a freshly generated dataset: wall time, MB/s of CSV and peak memory (generation not timed).</summary>
public static class ValidateBench
{
    public static void RunOne(int players)
    {
        using var dataset = new BenchDataset("validate", players);
        foreach (var run in new[] { "cold", "warm" })
        {
            var clock = Stopwatch.StartNew();
            var report = DatasetValidator.Validate(new ValidationOptions(dataset.Folder, Strict: true));
            var seconds = clock.Elapsed.TotalSeconds;
            if (!report.IsValid) throw new InvalidOperationException("the generated dataset did not validate");
            Console.WriteLine(ChildProcess.Row(players, run, seconds, dataset.Events, dataset.Megabytes));
        }
    }
}
