using System.Diagnostics;

namespace GameData.Bench;

/// <summary>Runs one scenario per player count, each in a fresh process of this program.</summary>
public static class ChildProcess
{
    public static void RunScenarios(string bench, int[] playerCounts)
    {
        Console.WriteLine();
        Console.WriteLine($"{bench} benchmark on {Environment.ProcessorCount} cores, .NET {Environment.Version}; files in {Path.GetTempPath()}");
        Console.WriteLine($"{"players",10} {"run",5} {"wall s",8} {"events",12} {"events/s",12} {"MB",8} {"MB/s",8} {"peak MB",8}");
        foreach (var players in playerCounts)
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
            start.ArgumentList.Add($"{bench}-one");
            start.ArgumentList.Add(players.ToString());
            using var child = Process.Start(start)!;
            Console.Write(child.StandardOutput.ReadToEnd());
            child.WaitForExit();
            if (child.ExitCode != 0) throw new InvalidOperationException($"{bench} benchmark for {players} players failed");
        }
    }

    public static string Row(int players, string run, double seconds, long events, double megabytes) =>
        $"{players,10:N0} {run,5} {seconds,8:0.000} {events,12:N0} {events / seconds,12:N0} {megabytes,8:0.0} {megabytes / seconds,8:0.0} {PeakMegabytes(),8:0.0}";

    private static double PeakMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1e6;
    }
}
