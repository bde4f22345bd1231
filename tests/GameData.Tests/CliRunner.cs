using System.Diagnostics;

namespace GameData.Tests;

public sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Runs the <c>gamedata</c> CLI: in this process (<see cref="Run"/>), with an environment, a folder and output
/// of its own, where a test checks parsing, bad input, messages and exit codes; as a separate process
/// (<see cref="Start"/>) where the process itself is the point: signals, kills, a secret on
/// its command line, several processes at once.
/// </summary>
public static class CliRunner
{
    static CliRunner()
    {
        // Runs in this process block pool threads while they wait (the library's own Task.Run and .Result, a test's
        // .Wait); on 2 cores the pool starts with 2 and adds about one a second, which stalled whole fixtures.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
    }

    /// <summary>
    /// The CLI the tests start: the ReadyToRun build the chain runs (<c>./build.sh --target=Test</c> publishes it once
    /// and names it in <c>GAMEDATA_TEST_CLI</c>), else the one built beside the tests (<c>dotnet test</c> alone).
    /// </summary>
    public static readonly string Dll = System.Environment.GetEnvironmentVariable("GAMEDATA_TEST_CLI") is { Length: > 0 } published && File.Exists(published)
        ? published
        : Path.Combine(TestContext.CurrentContext.TestDirectory, "gamedata.dll");

    private static int _runs;
    private static int _processes;

    /// <summary>How many runs were in this process, and how many processes were started.</summary>
    public static (int InProcess, int Processes) Counts => (Volatile.Read(ref _runs), Volatile.Read(ref _processes));

    /// <summary>The CLI run in this process, as <see cref="Start"/> would run it as a process.</summary>
    public static CliResult Run(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        Interlocked.Increment(ref _runs);
        string[] arguments = [.. args];
        // Not disposed: a line written late must not bring down the test host.
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new GameData.Cli.CliContext(Environment(environment), workingDirectory ?? TestContext.CurrentContext.TestDirectory,
            TextWriter.Synchronized(output), TextWriter.Synchronized(error));
        var run = Task.Run(() => GameData.Cli.Program.Run(arguments, context));
        if (!run.Wait(TimeSpan.FromMinutes(2))) Assert.Fail($"gamedata {string.Join(' ', arguments)} did not finish in 2 minutes");
        return new CliResult(run.Result, output.ToString(), error.ToString());
    }

    /// <summary>Starts the CLI with its output redirected, for tests that watch or kill it.</summary>
    /// <param name="interruptible">SIGINT restored to its default, for tests that send it: a test host started as a
    /// background job passes SIGINT on ignored, as shells do, and .NET then leaves it ignored.</param>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? workingDirectory = null,
        bool interruptible = false)
    {
        Interlocked.Increment(ref _processes);
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
        start.Environment.Clear();
        foreach (var (key, value) in Environment(environment)) start.Environment[key] = value;

        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    /// <summary>The tests' own environment, without what would leak settings into the command under test, plus <paramref name="given"/> (null removes).</summary>
    private static Dictionary<string, string?> Environment(IDictionary<string, string?>? given)
    {
        var variables = System.Environment.GetEnvironmentVariables();
        var environment = variables.Keys.Cast<string>().ToDictionary(key => key, key => variables[key] as string, StringComparer.Ordinal);
        foreach (var key in new[] { "N_PLAYERS", "MAX_SESSIONS_PER_PLAYER", "GAME_VERSION", "GAME_DATA_SEED", "LOAD_BATCH_ID", "EVENT_DATE_START", "EVENT_DATE_END",
                                    "GAME_WAREHOUSE", "GAME_SCHEMA", "GAME_DUCKDB_PATH", "GAME_POSTGRES", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE" })
            environment.Remove(key);
        environment["CI"] = "true";
        // The tests' files are remembered in a cache of their own, not the user's.
        environment[GameData.Files.FileFactsCache.FolderVariable] = Path.Combine(Path.GetTempPath(), "gamedata-tests", "file-facts-cache");
        foreach (var (key, value) in given ?? new Dictionary<string, string?>())
            if (value is null) environment.Remove(key);
            else environment[key] = value;
        return environment;
    }
}

/// <summary>The environment of the whole run: the CLI (run in the test process or started) and every child inherit it.</summary>
[SetUpFixture]
public sealed class TestRunEnvironment
{
    /// <summary>
    /// DuckDB's worker threads (<c>GAME_DUCKDB_THREADS</c>, which the CLI and the Snowflake stand-in read): one. The tests
    /// already run side by side on every core, and DuckDB's own threads on top of them only contend for the same cores
    /// (a sixth to a fifth of the DuckDB-heavy classes' CPU time).
    /// </summary>
    public const int DuckDbThreads = 1;

    [OneTimeSetUp]
    public void Set()
    {
        System.Environment.SetEnvironmentVariable("GAME_DUCKDB_THREADS", DuckDbThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // No diagnostic pipes and socket in the temporary folder for the .NET children: a killed one cannot remove them.
        System.Environment.SetEnvironmentVariable("DOTNET_EnableDiagnostics", "0");
    }
}

/// <summary>Says at the end of a test run how the CLI was run: the cost that matters is the processes started.</summary>
[SetUpFixture]
public sealed class CliRunnerCounts
{
    /// <summary>A file to which the counts are appended, for measuring.</summary>
    public const string FileVariable = "GAMEDATA_TEST_CLI_COUNTS";

    [OneTimeTearDown]
    public void Report()
    {
        var (inProcess, processes) = CliRunner.Counts;
        var line = $"gamedata CLI: {inProcess} runs in the test process, {processes} processes started";
        TestContext.Progress.WriteLine(line);
        if (System.Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } file) File.AppendAllText(file, line + "\n");
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
