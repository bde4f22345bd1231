using System.Diagnostics;

namespace GameData.Tests;

public sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs the real <c>gamedata</c> CLI (built beside the tests) as a separate process.</summary>
public static class CliRunner
{
    /// <summary>
    /// The CLI the tests start: the ReadyToRun build the chain runs (<c>./build.sh --target=Test</c> publishes it once
    /// and names it in <c>GAMEDATA_TEST_CLI</c>), else the one built beside the tests (<c>dotnet test</c> alone).
    /// </summary>
    public static readonly string Dll = Environment.GetEnvironmentVariable("GAMEDATA_TEST_CLI") is { Length: > 0 } published && File.Exists(published)
        ? published
        : Path.Combine(TestContext.CurrentContext.TestDirectory, "gamedata.dll");

    public static CliResult Run(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using var process = Start(args, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"gamedata {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the CLI with its output redirected, for tests that watch or kill it.</summary>
    /// <param name="interruptible">SIGINT restored to its default, for tests that send it: a test host started as a
    /// background job passes SIGINT on ignored, as shells do, and .NET then leaves it ignored.</param>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? workingDirectory = null,
        bool interruptible = false)
    {
        var start = new ProcessStartInfo(interruptible ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? TestContext.CurrentContext.TestDirectory,
        };
        if (interruptible) foreach (var arg in new[] { "--default-signal=INT", "dotnet" }) start.ArgumentList.Add(arg);
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The tests' own environment must not leak settings into the command under test.
        foreach (var key in new[] { "N_PLAYERS", "MAX_SESSIONS_PER_PLAYER", "GAME_VERSION", "GAME_DATA_SEED", "LOAD_BATCH_ID", "EVENT_DATE_START", "EVENT_DATE_END",
                                    "GAME_WAREHOUSE", "GAME_SCHEMA", "GAME_DUCKDB_PATH", "GAME_POSTGRES", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE" })
            start.Environment.Remove(key);
        start.Environment["CI"] = "true";
        // The tests' files are remembered in a cache of their own, not the user's.
        start.Environment[GameData.Files.FileFactsCache.FolderVariable] = Path.Combine(Path.GetTempPath(), "gamedata-tests", "file-facts-cache");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) start.Environment[key] = value;

        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }
}

/// <summary>A fingerprint of every file in a folder (name, size, time written, SHA-256), to prove nothing changed.</summary>
public static class FolderSnapshot
{
    public static Dictionary<string, string> Of(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            path => Path.GetRelativePath(folder, path),
            path => $"{new FileInfo(path).Length}:{File.GetLastWriteTimeUtc(path).Ticks}:{Generation.ReferenceParityTests.Sha256Of(path)}");
}
