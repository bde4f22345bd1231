// The task graph: Generate → ValidateCsv → MigrateRaw → Load → OptionalDbtBuild (and the Report). Each task knows when to run and
// which `gamedata` verb to call; the library knows how. Run through ./build.sh or ./build.ps1, e.g.
//   ./build.sh --target=Load --warehouse=postgres --mode=append --batch=next
// The arguments are read once, by the CLI (`gamedata args`, from src/GameData/Settings/arguments.json): BuildCli asks it as
// soon as it exists, and it refuses what it cannot use or says which arguments each verb takes (secrets in the child's
// environment, paths from the folder ./build.sh was run from). Only --target and --configuration are read before.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

var root = MakeAbsolute(Directory("..")).FullPath;
var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
// Cake runs in build/; a relative path means the folder the user ran ./build.sh from.
var caller = EnvironmentVariable("GAMEDATA_CALLER_DIR") is { Length: > 0 } from ? from : root;
// Cake passes some of its own options (--no-report) to the script as settings_* arguments.
var given = Context.Arguments.GetArguments().Where(a => !a.Key.StartsWith("settings_", StringComparison.OrdinalIgnoreCase))
    .ToDictionary(a => a.Key.ToLowerInvariant(), a => a.Value.ToList());
var cliDll = $"{root}/artifacts/cli/gamedata.dll";
JsonNode routes = null;
var reportWritten = false;
int? childExitCode = null;
Process running = null;
var signalRegistrations = new List<PosixSignalRegistration>();

ForwardSignalsToTheRunningChild();

Task("Help")
    .Description("Lists the targets and the arguments they take.")
    .IsDependentOn("BuildCli")
    .Does(() =>
    {
        Information("Usage: ./build.sh [--target=NAME] [--name=value ...]   (./build.ps1 takes the same)\n\nTargets:");
        foreach (var task in Tasks.Where(t => t.Description is not null)) Information($"  {task.Name,-12} {task.Description}");
        Information("\nArguments (each also in .env or the environment where a variable is named):");
        foreach (var line in routes["help"].AsArray()) Information(line.GetValue<string>());
    });

Task("BuildCli")
    .Description("Builds the gamedata command (ReadyToRun) into artifacts/cli; the chain skips it while it is newer than every source.")
    .Does(() =>
    {
        var stamp = $"{root}/artifacts/cli/.built-{configuration}";
        var why = target == "BuildCli" ? "--target=BuildCli" : WhyTheCliIsStale(stamp);
        if (why is null)
            Information($"gamedata is up to date ({System.IO.File.GetLastWriteTime(stamp):yyyy-MM-dd HH:mm:ss}); --target=BuildCli rebuilds it");
        // A dry run (and the help) changes nothing, artifacts included: it asks the CLI built before, if there is one.
        // Its refusal is not final: the arguments of the sources may differ from the ones it was built with.
        else if (System.IO.File.Exists(cliDll) && (target == "Help" || (routes = Route(refuse: false))?["dryRun"].GetValue<bool>() is true))
            Information($"Would publish gamedata again ({why}); {(target == "Help" ? "the help" : "this dry run")} asks the one built before (dry run).");
        else
        {
            Information($"Publishing gamedata ({why})");
            DotNetPublish($"{root}/src/GameData.Cli/GameData.Cli.csproj", new DotNetPublishSettings
            {
                Configuration = configuration,
                OutputDirectory = $"{root}/artifacts/cli",
                Runtime = RuntimeInformation.RuntimeIdentifier,
                SelfContained = false,
                PublishReadyToRun = true,
                NoLogo = true,
            });
            System.IO.File.WriteAllText(stamp, DateTime.UtcNow.ToString("O"));
            routes = null;
        }
        // Before any argument's value is used: a run must never start on a value it misread.
        routes ??= Route(refuse: true);
    });

Task("Generate")
    .Description("Generates the course dataset into data/ (gamedata generate); --batch=next continues from the warehouse.")
    .IsDependentOn("BuildCli")
    .Does(() => Gamedata("generate"));

Task("ValidateCsv")
    .Description("Validates the raw CSV files and the manifest (gamedata validate); --strict turns warnings into errors.")
    .IsDependentOn("Generate")
    .Does(() =>
    {
        if (DryRun()) { Information($"Would validate {Data()} (dry run)."); return; }
        Gamedata("validate", "--data", Data(), "--report", $"{root}/artifacts/validation-report.json");
    });

Task("MigrateRaw")
    .Description("Brings the RAW schema to the latest migration (gamedata migrate); --dry-run lists what would run.")
    .IsDependentOn("ValidateCsv")
    .Does(() => Gamedata("migrate"));

Task("Load")
    .Description("Loads data/ into the RAW tables in one transaction (gamedata load); --mode=recreate|append.")
    .IsDependentOn("MigrateRaw")
    .Does(() =>
    {
        if (DryRun() && !System.IO.Directory.Exists(Data()))
        {
            Information($"Would load {Data()} once Generate has written it (dry run).");
            return;
        }
        Gamedata("load", "--data", Data());
    });

Task("OptionalDbtBuild")
    .Description("Builds your dbt project on the warehouse just loaded (gamedata dbt): --dbt-project=../game_dbt_project or DBT_PROJECT_DIR; skipped without one.")
    .IsDependentOn("Load")
    .Does(() =>
    {
        if (DryRun()) { Information("Would run dbt on the warehouse just loaded, if a project is named (dry run)."); return; }
        Gamedata("dbt");
    });

Task("Report")
    .Description("Writes the HTML data profile of data/ (gamedata report) to data/report.html.")
    .IsDependentOn("ValidateCsv")
    .Does(() =>
    {
        if (DryRun()) { Information($"Would write {ReportFile()} (dry run)."); return; }
        Gamedata("report", "--data", Data(), "--out", ReportFile());
        reportWritten = true;
    });

Task("Reset")
    .Description("Resets targets to batch 1 (gamedata reset): --schema=student{01..30} or --targets=class.csv; --yes in CI, --dry-run to list.")
    .IsDependentOn("BuildCli")
    .Does(() => Gamedata("reset"));

Task("Test")
    .Description("Runs the NUnit test suite (PostgreSQL tests need a server: scripts/postgres-test-server.sh).")
    .IsDependentOn("BuildCli")
    .Does(() => DotNetTest($"{root}/tests/GameData.Tests/GameData.Tests.csproj",
        new DotNetTestSettings
        {
            Configuration = configuration,
            // BuildCli's runtime: the library and the CLI it compiled for the publish are up to date, not compiled again.
            Runtime = RuntimeInformation.RuntimeIdentifier,
            NoLogo = true,
            // The tests start the CLI the chain runs (ReadyToRun, published once), not a second build of it.
            EnvironmentVariables = { ["GAMEDATA_TEST_CLI"] = cliDll },
            // A TRX file too, so CI can report the real counts.
            Loggers = { "console;verbosity=normal", "trx;LogFileName=tests.trx" },
            ResultsDirectory = $"{root}/artifacts/test-results",
            // One NUnit worker more than cores: the tests wait on child processes and servers part of the time.
            ArgumentCustomization = args => args.Append("--").Append($"NUnit.NumberOfTestWorkers={Environment.ProcessorCount + 1}"),
        }));

Task("Bench")
    .Description("Benchmarks Generate, ValidateCsv, Load, the report and Snowflake (--bench=NAME for one).")
    .IsDependentOn("BuildCli")
    .Does(() => DotNetRun($"{root}/bench/GameData.Bench/GameData.Bench.csproj",
        new ProcessArgumentBuilder().Append(Argument("bench", "all")),
        new DotNetRunSettings { Configuration = "Release", WorkingDirectory = root }));

Task("Default")
    .Description("The whole chain: Generate, ValidateCsv, MigrateRaw, Load (into DuckDB unless --warehouse says otherwise), OptionalDbtBuild, and the Report.")
    .IsDependentOn("OptionalDbtBuild")
    .IsDependentOn("Report");

// The chain's summary: where to look.
Teardown(context =>
{
    if (reportWritten) Information($"Report: {ReportFile()}");
});

try
{
    // An unknown target still builds the CLI, which refuses it naming the closest.
    RunTarget(Tasks.Any(t => t.Name.Equals(target, StringComparison.OrdinalIgnoreCase)) ? target : "BuildCli");
}
catch (Exception)
{
    // The exit code of the gamedata command that failed (2 stays 2), else Cake's 1.
    Environment.Exit(childExitCode ?? 1);
}

bool DryRun() => routes["dryRun"].GetValue<bool>();
string Data() => routes["data"]?.GetValue<string>() ?? $"{root}/data";
string ReportFile() => $"{Data()}/report.html";

/// <summary>
/// The CLI's reading of the arguments given: what it cannot use is refused (exit 2, its error line on standard error),
/// else the routes, the arguments each verb takes. A refusal is null when <paramref name="refuse"/> is false.
/// </summary>
JsonNode Route(bool refuse)
{
    var start = new ProcessStartInfo("dotnet", new[] { cliDll, "args" })
        { WorkingDirectory = caller, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = !refuse };
    using var process = Process.Start(start);
    // On standard input, never a command line: an argument may be a secret.
    process.StandardInput.Write(JsonSerializer.Serialize(new { arguments = given, targets = Tasks.Select(t => t.Name) }));
    process.StandardInput.Close();
    var answer = process.StandardOutput.ReadToEnd();
    if (!refuse) process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0 && refuse) Environment.Exit(process.ExitCode);
    return process.ExitCode == 0 ? JsonNode.Parse(answer) : null;
}

/// <summary>Runs a gamedata verb with every given argument it takes; a failure fails the task with its exit code.</summary>
void Gamedata(string verb, params string[] extra)
{
    var route = routes["verbs"][verb];
    var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root };
    foreach (var word in new[] { cliDll, verb }.Concat(route["args"].AsArray().Select(a => a.GetValue<string>())).Concat(extra))
        start.ArgumentList.Add(word);
    // A secret's value is the one given, in the child's environment: never on a command line, which `ps` shows to every user.
    foreach (var (variable, name) in route["secrets"].AsObject()) start.Environment[variable] = given[name.GetValue<string>()].Last();
    Information(string.Join(" ", extra.Prepend(route["shown"].GetValue<string>())));

    using var process = Process.Start(start);
    running = process;
    process.WaitForExit();
    running = null;
    if (process.ExitCode != 0)
    {
        childExitCode = process.ExitCode;
        throw new Exception($"gamedata {verb} exited with {process.ExitCode}");
    }
}

/// <summary>
/// While a gamedata command runs, the build outlives it: Ctrl+C at a terminal reaches the command by itself (it
/// is in the terminal's process group), and SIGTERM (what CI runners and container stops send) is passed on.
/// The build waits for the command to clean up and stop, so nothing is left running (PPID 1) holding a DuckDB
/// file or cut off mid-clean-up, then exits with its code (130, 143).
/// </summary>
void ForwardSignalsToTheRunningChild()
{
    if (OperatingSystem.IsWindows()) return;
    signalRegistrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
    {
        if (running is { HasExited: false }) context.Cancel = true;
    }));
    signalRegistrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        if (running is not { HasExited: false } child) return;
        context.Cancel = true;
        Process.Start("kill", new[] { "-TERM", child.Id.ToString() })?.WaitForExit();
    }));
}

/// <summary>
/// Why the published CLI must be published again: not built yet, or the first file it is built from (sources,
/// projects, package versions, migrations) that is newer than it; null while it is up to date.
/// </summary>
string WhyTheCliIsStale(string stamp)
{
    if (!System.IO.File.Exists(stamp) || !System.IO.File.Exists(cliDll)) return "not built yet";
    var built = System.IO.File.GetLastWriteTimeUtc(stamp);
    var sources = System.IO.Directory.EnumerateFiles($"{root}/src", "*", System.IO.SearchOption.AllDirectories)
        .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && !f.Contains("\\bin\\") && !f.Contains("\\obj\\"))
        // The migrations are copied beside the CLI, which runs that copy.
        .Concat(System.IO.Directory.EnumerateFiles($"{root}/migrations", "*", System.IO.SearchOption.AllDirectories))
        .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" }.Select(f => $"{root}/{f}"));
    var newer = sources.FirstOrDefault(f => System.IO.File.GetLastWriteTimeUtc(f) >= built);
    return newer is null ? null : $"{System.IO.Path.GetRelativePath(root, newer)} is newer than it";
}
