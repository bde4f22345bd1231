using System.Diagnostics;
using GameData.Generation;
using GameData.Settings;

namespace GameData.Bench;

/// <summary>Generate at a given player count: wall time inside the process, events/s, MB/s and peak memory.</summary>
public static class GenerateBench
{
    public static void RunAll(int[] playerCounts)
    {
        Console.WriteLine($"Generate benchmark on {Environment.ProcessorCount} cores, .NET {Environment.Version}; output in {Path.GetTempPath()}");
        Console.WriteLine($"{"players",10} {"run",5} {"wall s",8} {"events",12} {"events/s",12} {"MB",8} {"MB/s",8} {"peak MB",8}");
        foreach (var players in playerCounts)
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(GenerateBench).Assembly.Location);
            start.ArgumentList.Add("generate-one");
            start.ArgumentList.Add(players.ToString());
            using var child = Process.Start(start)!;
            Console.Write(child.StandardOutput.ReadToEnd());
            child.WaitForExit();
            if (child.ExitCode != 0) throw new InvalidOperationException($"benchmark for {players} players failed");
        }
    }

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
                var events = result.Manifest.Files[DatasetFiles.Events].Rows;
                var megabytes = result.Manifest.Files.Values.Sum(f => f.Bytes) / 1e6;
                using var self = Process.GetCurrentProcess();
                Console.WriteLine($"{players,10:N0} {run,5} {seconds,8:0.000} {events,12:N0} {events / seconds,12:N0} " +
                                  $"{megabytes,8:0.0} {megabytes / seconds,8:0.0} {self.PeakWorkingSet64 / 1e6,8:0.0}");
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
