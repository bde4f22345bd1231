using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Dbt;

/// <summary>
/// OptionalDbtBuild: runs the student's dbt project on the warehouse just loaded. A profile for that warehouse
/// is written to a private folder (unless <c>--dbt-profiles-dir</c> names the user's own), <c>dbt deps</c> runs
/// when the project has packages, then the command (<c>build</c> by default) with the RAW schema passed as the
/// <c>raw_schema</c> variable. dbt's output streams live; its exit code is the result. On DuckDB, dbt runs while
/// this process holds the file's lock, the one loads take: a load waits for dbt, and dbt for a load.
/// </summary>
/// <param name="environment">dbt's environment, the caller's (PATH included), to which the profile's secrets are
/// added; null: this process's.</param>
/// <param name="output">Where dbt's output goes, line by line; null: this process's console, which dbt then writes to
/// itself (colours and all).</param>
public sealed class DbtRunner(DbtSettings settings, WarehouseSettings warehouse, Action<string> log,
    IReadOnlyDictionary<string, string?>? environment = null, (TextWriter Out, TextWriter Error)? output = null)
{
    public int Run(TimeSpan lockTimeout, CancellationToken cancellation)
    {
        var project = DbtProject.Open(settings.ProjectDirectory);
        var dbt = DbtExecutable.Find(settings.Executable, project, warehouse.Provider,
            environment is null ? null : environment.GetValueOrDefault("PATH") ?? "");
        var generated = settings.ProfilesDirectory is null ? Directory.CreateTempSubdirectory("gamedata-dbt-") : null;
        try
        {
            var profilesDirectory = settings.ProfilesDirectory ?? generated!.FullName;
            var environment = new Dictionary<string, string>();
            // A target path set in .env reaches dbt too, so that it writes where the summary reads.
            if (settings.TargetPath is not null) environment[DbtSettings.TargetPathVariable] = settings.TargetPath;
            if (generated is not null)
            {
                var profile = DbtProfile.For(project.Profile, warehouse, settings.DevSchema,
                    DbtExecutable.AdapterVersion(dbt, warehouse.Provider));
                WritePrivately(Path.Combine(profilesDirectory, "profiles.yml"), profile.Yaml);
                foreach (var (name, value) in profile.Environment) environment[name] = value;
                log($"profile '{project.Profile}' for {warehouse.Describe()}, targets dev (schema {settings.DevSchema}) and ci, " +
                    $"written to {profilesDirectory}");
            }
            using var held = warehouse.Provider.LockForDbt(warehouse, log, lockTimeout);
            string[] common = ["--project-dir", project.Directory, "--profiles-dir", profilesDirectory, "--target", settings.Target];
            var started = DateTime.UtcNow;
            if (project.HasPackages)
            {
                var deps = Dbt(dbt, ["deps", .. common], environment, cancellation);
                if (deps != 0) return deps;
            }
            // The course's sources read var('raw_schema', 'RAW'): the schema just loaded, as the warehouse spells it.
            var vars = settings.ExtraArguments.Contains("--vars") ? []
                : new[] { "--vars", JsonSerializer.Serialize(new Dictionary<string, string> { ["raw_schema"] = warehouse.Schema }) };
            var exitCode = Dbt(dbt, [.. settings.Command.Split(' '), .. common, .. vars, .. settings.ExtraArguments], environment,
                cancellation);
            foreach (var line in RunResults.Read(project.RunResultsIn(settings.TargetPath), started)?.Summary() ?? []) log(line);
            if (exitCode != 0) log($"dbt {settings.Command} exited with {exitCode}");
            return exitCode;
        }
        finally
        {
            generated?.Delete(recursive: true);
        }
    }

    /// <summary>Runs dbt with its output on this console; secrets reach it in its environment only.</summary>
    private int Dbt(string dbt, string[] arguments, Dictionary<string, string> secrets, CancellationToken cancellation)
    {
        log($"{dbt} {string.Join(' ', arguments.Select(Quoted))}");
        var start = new ProcessStartInfo(dbt)
        {
            WorkingDirectory = settings.ProjectDirectory, UseShellExecute = false,
            RedirectStandardOutput = output is not null, RedirectStandardError = output is not null,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (var (name, value) in environment) if (value is not null) start.Environment[name] = value;
        }
        foreach (var (name, value) in secrets) start.Environment[name] = value;
        using var process = Start(start, dbt);
        // Ctrl+C at a terminal reaches dbt by itself; a SIGTERM to us is passed on, and dbt gets to stop cleanly.
        using var stop = cancellation.Register(() => Signal(process, "TERM"));
        if (output is { } writers)
            Task.WaitAll(Copy(process.StandardOutput, writers.Out), Copy(process.StandardError, writers.Error));
        process.WaitForExit();
        return process.ExitCode;
    }

    private static Task Copy(StreamReader from, TextWriter to) => Task.Run(async () =>
    {
        while (await from.ReadLineAsync() is { } line) to.WriteLine(line);
    });

    /// <summary>Starts dbt, or says in one line why it cannot run: most often a virtual environment moved after it was made.</summary>
    private static Process Start(ProcessStartInfo start, string dbt)
    {
        try
        {
            return Process.Start(start) ?? throw new SettingsException($"cannot run dbt {dbt}");
        }
        catch (Win32Exception e)
        {
            var cause = Interpreter(dbt) is { } interpreter && !File.Exists(interpreter)
                ? $"its interpreter {interpreter} does not exist (a virtual environment moved or removed after it was made: make it again)"
                : new Win32Exception(e.NativeErrorCode).Message;
            throw new SettingsException($"cannot run dbt {dbt}: {cause}");
        }
    }

    /// <summary>The program a script's <c>#!</c> line names, if it has one.</summary>
    private static string? Interpreter(string script)
    {
        try
        {
            using var reader = new StreamReader(script);
            return reader.ReadLine() is { } line && line.StartsWith("#!", StringComparison.Ordinal)
                ? line[2..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WritePrivately(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static void Signal(Process process, string signal)
    {
        if (process.HasExited || OperatingSystem.IsWindows()) return;
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }

    private static string Quoted(string argument) =>
        argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '{') ? $"'{argument}'" : argument;
}
