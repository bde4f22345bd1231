using System.Diagnostics;
using GameData.Generation;
using GameData.Reporting;
using GameData.Settings;

namespace GameData.Bench;

/// <summary>The HTML report of a generated dataset: wall time (generation not timed), file size, peak memory.</summary>
public static class ReportBench
{
    public static void RunOne(int players)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gamedata-bench-report-{Environment.ProcessId}");
        try
        {
            var manifest = DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = players }, folder).Manifest;
            var megabytes = manifest.Files.Values.Sum(f => f.Bytes) / 1e6;
            var clock = Stopwatch.StartNew();
            var report = ReportBuilder.Build(folder, Path.Combine(folder, "report.html"));
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(ChildProcess.Row(players, "cold", seconds, manifest.Files[DatasetFiles.Events].Rows, megabytes) +
                              $"   report {new FileInfo(report).Length / 1024.0,6:N0} KB");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
