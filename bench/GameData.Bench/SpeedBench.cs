using System.Diagnostics;
using System.Globalization;
using GameData.Settings;

namespace GameData.Bench;

/// <summary>
/// The chain at the speed a person feels it, measured on this tree and on a baseline commit in the same run,
/// each in a fresh clone: the first ./build.sh; ./build.sh --target=Load again with nothing changed;
/// `gamedata generate` with default settings as a whole process; the 100,000-player report's time and peak memory.
/// </summary>
public static class SpeedBench
{
    /// <summary>main before issues 9 to 13 (2026-11-26): the "today" the speed issue was measured against.</summary>
    public const string DefaultBaseline = "044e281";

    public static void Run(string baseline, int reportPlayers)
    {
        var root = RepositoryFolders.Root(AppContext.BaseDirectory);
        var work = Directory.CreateTempSubdirectory("gamedata-bench-speed-");
        try
        {
            Console.WriteLine($"\nspeed benchmark on {Environment.ProcessorCount} cores: this tree ({Git(root, "rev-parse", "--short", "HEAD")} + uncommitted changes) against {baseline}; clones in {work.FullName}");
            var trees = new[] { ("this tree", CloneOfThisTree(root, Path.Combine(work.FullName, "ours"))), ($"baseline {baseline}", CloneAt(root, baseline, Path.Combine(work.FullName, "baseline"))) };
            var big = Path.Combine(work.FullName, "report-data");

            Console.WriteLine($"\n{"",-22} {"first ./build.sh s",18} {"warm Load s (median of 5)",34} {"generate s (median of 9)",30} {$"report {reportPlayers:N0} s / peak MB",28}");
            foreach (var (name, tree) in trees)
            {
                var first = Wall(tree, "bash", "build.sh");
                var isBaseline = name.StartsWith("baseline", StringComparison.Ordinal);
                // The baseline refuses a non-interactive load into filled tables without --mode, so it gets one.
                var warm = Median(5, () => Wall(tree, "bash", ["build.sh", "--target=Load", .. isBaseline ? new[] { "--mode=recreate" } : []]));
                var warmRecreate = isBaseline ? warm : Median(5, () => Wall(tree, "bash", "build.sh", "--target=Load", "--mode=recreate"));
                var cli = Cli(tree);
                var fresh = Median(9, () => Wall(tree, "dotnet", [cli, "generate", "--out", Path.Combine(tree, "bench-out"), .. isBaseline ? [] : new[] { "--force" }]));
                // A person runs it again later, not within the 2 s in which fresh files are read every time.
                if (!isBaseline) Thread.Sleep(TimeSpan.FromSeconds(2.5));
                var upToDate = isBaseline ? double.NaN : Median(9, () => Wall(tree, "dotnet", cli, "generate", "--out", Path.Combine(tree, "bench-out")));
                if (!Directory.Exists(big)) Run(tree, "dotnet", cli, "generate", "--players", reportPlayers.ToString(CultureInfo.InvariantCulture), "--out", big);
                // A tree whose report fails (8b1a6da..: DuckDB's memory too small for 64 MB lines) says so and the run goes on.
                string reportText;
                try
                {
                    var (reportSeconds, peak) = Peak(tree, "dotnet", cli, "report", "--data", big, "--out", Path.Combine(tree, "report.html"));
                    reportText = $"{reportSeconds:0.0} / {peak:0}";
                }
                catch (InvalidOperationException e) when (e.Message.Contains("Out of Memory", StringComparison.Ordinal))
                {
                    reportText = "failed: Out of Memory";
                }

                var warmText = isBaseline ? $"{warm:0.00} (--mode=recreate)" : $"{warm:0.00} (up to date), {warmRecreate:0.00} (recreate)";
                var generateText = isBaseline ? $"{fresh:0.00}" : $"{fresh:0.00} (--force), {upToDate:0.00} (up to date)";
                Console.WriteLine($"{name,-22} {first,18:0.0} {warmText,34} {generateText,30} {reportText,28}");
            }
        }
        finally
        {
            foreach (var tree in new[] { "ours", "baseline" }) Git(root, "worktree", "remove", "--force", Path.Combine(work.FullName, tree));
            work.Delete(recursive: true);
        }
    }

    /// <summary>The CLI the chain runs: this tree publishes it into artifacts/cli; the baseline built it into bin/.</summary>
    /// <summary>The CLI the tree's ./build.sh ran: published into artifacts/cli, or (before that existed) built in place.</summary>
    private static string Cli(string tree) =>
        File.Exists(Path.Combine(tree, "artifacts/cli/gamedata.dll"))
            ? Path.Combine(tree, "artifacts/cli/gamedata.dll")
            : Path.Combine(tree, "src/GameData.Cli/bin/Release/net10.0/gamedata.dll");

    /// <summary>A worktree of HEAD with this tree's uncommitted changes on top, so that what is measured is what is here.</summary>
    private static string CloneOfThisTree(string root, string path)
    {
        Git(root, "worktree", "add", "--detach", path, "HEAD");
        var diff = Git(root, "diff", "HEAD", "--binary");
        if (diff.Length > 0)
        {
            var patch = Path.GetTempFileName();
            File.WriteAllText(patch, diff + "\n");
            Git(path, "apply", patch);
            File.Delete(patch);
        }
        foreach (var untracked in Git(root, "ls-files", "--others", "--exclude-standard").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(path, untracked))!);
            File.Copy(Path.Combine(root, untracked), Path.Combine(path, untracked), overwrite: true);
        }
        return path;
    }

    private static string CloneAt(string root, string commit, string path)
    {
        Git(root, "worktree", "add", "--detach", path, commit);
        return path;
    }

    private static double Median(int runs, Func<double> measure)
    {
        var times = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToList();
        return times[runs / 2];
    }

    private static double Wall(string tree, string program, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        Run(tree, program, args);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Wall time and peak resident memory (MB) of one run, read from GNU time.</summary>
    private static (double Seconds, double PeakMegabytes) Peak(string tree, string program, params string[] args)
    {
        var stats = Path.GetTempFileName();
        var seconds = Wall(tree, "/usr/bin/time", ["-f", "%M", "-o", stats, program, .. args]);
        var kilobytes = double.Parse(File.ReadAllText(stats).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
        File.Delete(stats);
        return (seconds, kilobytes / 1024);
    }

    private static void Run(string tree, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program, args) { WorkingDirectory = tree, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} in {tree} exited with {process.ExitCode}: {errors.Result}{output.Result[^Math.Min(2000, output.Result.Length)..]}");
    }

    private static string Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git", args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }
}
