using System.Diagnostics;
using GameData.Tests.Loading;

namespace GameData.Tests.Cli;

/// <summary>
/// Ctrl+C, end of input, SIGTERM and SIGKILL: the command stops at once where nothing is under way (a prompt),
/// cleans up after itself otherwise, and what a killed run left behind is removed by the next one.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class InterruptTests
{
    [TestCase("\u0003", TestName = "Ctrl+C at the load's mode prompt exits 130 at once")]
    [TestCase("\u0004", TestName = "Ctrl+D at the load's mode prompt exits 130 at once")]
    public void At_the_mode_prompt(string key)
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, GameData.Loading.LoadMode.Recreate);
        var before = target.Snapshot();

        var (exitCode, output) = AtATerminal(["load", "--data", TestDatasets.Batch2, .. target.CliArgs], "1 = recreate", key);

        Assert.That(output, Does.Contain("1 = recreate"), "the prompt was shown");
        Assert.That(exitCode, Is.EqualTo(130), output);
        Assert.That(output, Does.Contain("cancelled; nothing was changed"));
        Assert.That(target.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void SIGTERM_during_generate_exits_143_with_a_message_and_leaves_no_temporary_file()
    {
        using var data = new TempFolder();
        using var process = CliRunner.Start(["generate", "--players", "400000", "--out", data.Path]);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        WaitForTemporaryFiles(data.Path, process);

        Signal(process, "TERM");

        Assert.That(process.WaitForExit(30_000), Is.True, "it stopped");
        Assert.That(process.ExitCode, Is.EqualTo(143));
        Assert.That(stderr.Result, Does.Contain("cancelled"));
        Assert.That(Directory.GetFiles(data.Path), Is.Empty, "no temporary file stays behind");
    }

    [TestCase("TERM", 143)]
    [TestCase("INT", 130)]
    public void A_signal_during_a_DuckDB_load_stops_it_and_leaves_the_old_state(string signal, int exitCode)
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, GameData.Loading.LoadMode.Recreate);
        var before = target.Snapshot();
        var folder = Path.GetDirectoryName(target.Settings.DuckDbPath)!;
        // Medium: the events' insert, the last statement, lasts about a second, so the signal lands inside it (or, at
        // the latest, before the rename, where the load looks for a cancellation one last time).
        using var process = CliRunner.Start(["load", "--mode", "recreate", "--data", TestDatasets.Medium, .. target.CliArgs], interruptible: true);
        var stderr = process.StandardError.ReadToEndAsync();
        while (process.StandardOutput.ReadLine() is { } line && !line.Contains("raw_game_events.csv: loading", StringComparison.Ordinal)) { }
        _ = process.StandardOutput.ReadToEndAsync();

        Signal(process, signal);

        Assert.That(process.WaitForExit(30_000), Is.True, "it stopped");
        Assert.That(process.ExitCode, Is.EqualTo(exitCode), stderr.Result);
        Assert.That(stderr.Result, Does.Contain("cancelled"));
        Assert.That(target.Snapshot(), Is.EqualTo(before), "the old rows, untouched");
        Assert.That(Directory.GetFiles(folder, ".warehouse.duckdb.*.tmp*"), Is.Empty, "its copy removed");
    }

    [Test]
    public void A_second_generate_into_a_folder_being_written_is_refused_with_one_line()
    {
        using var data = new TempFolder();
        using var first = CliRunner.Start(["generate", "--players", "400000", "--out", data.Path]);
        WaitForTemporaryFiles(data.Path, first);

        var second = CliRunner.Run(["generate", "--players", "10", "--out", data.Path]);
        first.Kill(entireProcessTree: true);
        first.WaitForExit(30_000);

        Assert.That(second.ExitCode, Is.EqualTo(1), second.StdOut);
        Assert.That(second.ErrorLines, Is.EqualTo(new[] { $"error: another gamedata process is writing into {data.Path}; try again when it has finished" }));
        Assert.That(File.Exists(data.File("manifest.json")), Is.False, "the second wrote nothing");
    }

    [Test]
    public void Temporary_files_a_killed_generate_left_are_removed_by_the_next_run()
    {
        using var data = new TempFolder();
        using (var process = CliRunner.Start(["generate", "--players", "400000", "--out", data.Path]))
        {
            WaitForTemporaryFiles(data.Path, process);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(30_000);
        }
        Assert.That(Directory.GetFiles(data.Path, ".*.tmp"), Is.Not.Empty, "SIGKILL left them");

        var again = CliRunner.Run(["generate", "--players", "10", "--out", data.Path]);

        Assert.That(again.ExitCode, Is.Zero, again.StdErr);
        Assert.That(Directory.GetFiles(data.Path).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "raw_players.csv", "raw_sessions.csv", "raw_game_events.csv", "manifest.json" }));
    }

    [Test]
    public void The_copy_a_killed_DuckDB_load_left_is_removed_by_the_next_load()
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        var folder = Path.GetDirectoryName(target.Settings.DuckDbPath)!;
        using (var process = CliRunner.Start(["load", "--mode", "recreate", "--data", TestDatasets.Medium, .. target.CliArgs]))
        {
            while (process.StandardOutput.ReadLine() is { } line && !line.Contains("raw_game_events.csv: loading", StringComparison.Ordinal)) { }
            process.Kill(entireProcessTree: true);
            process.WaitForExit(30_000);
        }
        Assert.That(Directory.GetFiles(folder, ".warehouse.duckdb.*.tmp"), Is.Not.Empty, "SIGKILL left the copy");

        target.Load(TestDatasets.Small, GameData.Loading.LoadMode.Recreate);

        Assert.That(Directory.GetFiles(folder, ".warehouse.duckdb.*.tmp*"), Is.Empty);
        Assert.That(target.Counts(), Is.EqualTo((200L, 622L, 23206L)));
    }

    [Test]
    public void The_spill_folder_a_killed_DuckDB_load_left_is_removed_by_the_next_load_which_says_so()
    {
        using var target = new DuckDbTarget();
        target.Migrate();
        var folder = Path.GetDirectoryName(target.Settings.DuckDbPath)!;
        int gone;
        using (var ended = Process.Start("true")!)
        {
            ended.WaitForExit();
            gone = ended.Id;
        }
        var stale = Path.Combine(folder, $".warehouse.duckdb.{gone}-0123abcd.tmp.tmp");
        var live = Path.Combine(folder, $".warehouse.duckdb.{Environment.ProcessId}-4567cdef.tmp.tmp");
        foreach (var spill in new[] { stale, live })
        {
            Directory.CreateDirectory(spill);
            File.WriteAllText(Path.Combine(spill, "duckdb_temp_storage-0.tmp"), "spilled");
        }

        var result = CliRunner.Run(["load", "--data", TestDatasets.Small, .. target.CliArgs]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(Directory.Exists(stale), Is.False, "its process is gone");
        Assert.That(Directory.Exists(live), Is.True, "its process is still running");
        Assert.That(result.StdOut, Does.Contain($"removed {stale}"));
    }

    /// <summary>
    /// Runs the CLI on a pseudo-terminal, as a person would, and types <paramref name="keys"/> (a control key: typing
    /// it twice is typing it once) once <paramref name="prompt"/> has been printed, again while nothing answers: the
    /// prompt is on the screen a moment before the CLI reads, and setting the terminal up for reading discards what was
    /// typed before. Returns the exit code and all output.
    /// </summary>
    private static (int ExitCode, string Output) AtATerminal(string[] args, string prompt, string keys)
    {
        var cli = CliRunner.Dll;
        using var process = PseudoTerminal.Start($"{PseudoTerminal.Quote(["dotnet", cli, .. args])}; echo \"exit=$?\"");
        var output = new System.Text.StringBuilder();
        var buffer = new char[4096];
        var clock = Stopwatch.StartNew();
        var prompted = false;
        var read = process.StandardOutput.ReadAsync(buffer, 0, buffer.Length);
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !output.ToString().Contains("exit=", StringComparison.Ordinal))
        {
            if (!read.Wait(TimeSpan.FromMilliseconds(prompted ? 500 : 10_000)))
            {
                if (!prompted) break;
                process.StandardInput.Write(keys); // no answer yet: the key was typed before the CLI read
                process.StandardInput.Flush();
                continue;
            }
            if (read.Result == 0) break;
            output.Append(buffer, 0, read.Result);
            read = process.StandardOutput.ReadAsync(buffer, 0, buffer.Length);
            if (!prompted && output.ToString().Contains(prompt, StringComparison.Ordinal))
            {
                process.StandardInput.Write(keys);
                process.StandardInput.Flush();
                prompted = true;
            }
        }
        if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        var text = output.ToString();
        var marker = text.LastIndexOf("exit=", StringComparison.Ordinal);
        Assert.That(marker, Is.GreaterThanOrEqualTo(0), text);
        return (int.Parse(new string(text[(marker + 5)..].TakeWhile(char.IsDigit).ToArray())), text);
    }

    private static void WaitForTemporaryFiles(string folder, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (Directory.GetFiles(folder, ".raw_game_events.csv.*.tmp").Length == 0)
        {
            Assert.That(process.HasExited, Is.False, "generate was still running");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
            Thread.Sleep(20);
        }
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
