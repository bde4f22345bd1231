using System.Diagnostics;
using GameData.Reporting;

namespace GameData.Bench;

/// <summary>The HTML report of a generated dataset: wall time (generation not timed), file size, peak memory.</summary>
public static class ReportBench
{
    public static void RunOne(int players)
    {
        using var dataset = new BenchDataset("report", players);
        var clock = Stopwatch.StartNew();
        var report = ReportBuilder.Build(dataset.Folder, Path.Combine(dataset.Folder, "report.html"));
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(ChildProcess.Row(players, "cold", seconds, dataset.Events, dataset.Megabytes) +
                          $"   report {new FileInfo(report).Length / 1024.0,6:N0} KB");
    }
}
