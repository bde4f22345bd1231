// The task graph: Generate → ValidateCsv → MigrateRaw → Load → OptionalDbtBuild (and the Report). Each task knows when to run and
// which `gamedata` verb to call; the library knows how. Run through ./build.sh or ./build.ps1, e.g.
//   ./build.sh --target=Load --warehouse=postgres --mode=append --batch=next
// Every argument of the chain comes from src/GameData/Settings/arguments.json, the list the CLI builds its
// options from: given arguments are passed to each verb that takes them (secrets in the child's environment,
// paths resolved against the folder ./build.sh was run from), and anything else is refused.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

var root = MakeAbsolute(Directory("..")).FullPath;
var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
// Cake runs in build/; a relative path means the folder the user ran ./build.sh from.
var caller = EnvironmentVariable("GAMEDATA_CALLER_DIR") is { Length: > 0 } from ? from : root;
string Resolved(string path) => System.IO.Path.GetFullPath(path, caller);

var argumentList = JsonSerializer.Deserialize<ChainArguments>(System.IO.File.ReadAllText($"{root}/src/GameData/Settings/arguments.json"),
    new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
var chain = argumentList.Arguments;
var given = Context.Arguments.GetArguments().ToDictionary(a => a.Key.ToLowerInvariant(), a => a.Value.ToList());
var buildArguments = new[] { "target", "configuration", "bench" };
// Before any argument's value is used: a run must never start on a value it misread.
RefuseUnknownArguments();
var dryRun = IsOn("dry-run");

var data = given.ContainsKey("out") ? Resolved(Argument<string>("out")) : $"{root}/data";
var cliDll = $"{root}/artifacts/cli/gamedata.dll";
var reportFile = $"{data}/report.html";
var reportWritten = false;
int? childExitCode = null;
Process running = null;
var signalRegistrations = new List<PosixSignalRegistration>();

ForwardSignalsToTheRunningChild();

Task("Help")
    .Description("Lists the targets and the arguments they take.")
    .Does(() =>
    {
        Information("Usage: ./build.sh [--target=NAME] [--name=value ...]   (./build.ps1 takes the same)\n\nTargets:");
        foreach (var task in Tasks.Where(t => t.Description is not null)) Information($"  {task.Name,-12} {task.Description}");
        Information("\nArguments (each also in .env or the environment where a variable is named):");
        foreach (var argument in chain.Where(a => a.Chain).GroupBy(a => a.Name).Select(g => g.First()))
            Information($"  --{argument.Name,-16} {argument.Help}{(argument.Env is null ? "" : $" [{argument.Env}]")}");
        Information($"  --{"configuration",-16} Release (default) or Debug\n  --{"bench",-16} Bench: all, generate, validate, report, load, snowflake, reset, speed");
    });

Task("BuildCli")
    .Description("Builds the gamedata command (ReadyToRun) into artifacts/cli; the chain skips it while it is newer than every source.")
    .Does(() =>
    {
        var stamp = $"{root}/artifacts/cli/.built-{configuration}";
        var why = target == "BuildCli" ? "--target=BuildCli" : WhyTheCliIsStale(stamp);
        if (why is null)
        {
            Information($"gamedata is up to date ({System.IO.File.GetLastWriteTime(stamp):yyyy-MM-dd HH:mm:ss}); --target=BuildCli rebuilds it");
            return;
        }
        // A dry run changes nothing, artifacts included: it asks the CLI built before, if there is one.
        if (dryRun && System.IO.File.Exists(cliDll))
        {
            Information($"Would publish gamedata again ({why}); this dry run asks the one built before (dry run).");
            return;
        }
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
        if (dryRun) { Information($"Would validate {data} (dry run)."); return; }
        Gamedata("validate", "--data", data, "--report", $"{root}/artifacts/validation-report.json");
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
        if (dryRun && !System.IO.Directory.Exists(data)) { Information($"Would load {data} once Generate has written it (dry run)."); return; }
        Gamedata("load", "--data", data);
    });

Task("OptionalDbtBuild")
    .Description("Builds your dbt project on the warehouse just loaded (gamedata dbt): --dbt-project=../game_dbt_project or DBT_PROJECT_DIR; skipped without one.")
    .IsDependentOn("Load")
    .Does(() =>
    {
        if (dryRun) { Information("Would run dbt on the warehouse just loaded, if a project is named (dry run)."); return; }
        Gamedata("dbt");
    });

Task("Report")
    .Description("Writes the HTML data profile of data/ (gamedata report) to data/report.html.")
    .IsDependentOn("ValidateCsv")
    .Does(() =>
    {
        if (dryRun) { Information($"Would write {reportFile} (dry run)."); return; }
        Gamedata("report", "--data", data, "--out", reportFile);
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
            NoLogo = true,
            // The tests start the CLI the chain runs (ReadyToRun, published once), not a second build of it.
            EnvironmentVariables = { ["GAMEDATA_TEST_CLI"] = cliDll },
            // A TRX file too, so CI can report the real counts.
            Loggers = { "console;verbosity=normal", "trx;LogFileName=tests.trx" },
            ResultsDirectory = $"{root}/artifacts/test-results",
        }));

Task("Bench")
    .Description("Benchmarks Generate, ValidateCsv, Load, the report and Snowflake (--bench=NAME for one).")
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
    if (reportWritten) Information($"Report: {reportFile}");
});

if (!Tasks.Any(t => t.Name.Equals(target, StringComparison.OrdinalIgnoreCase)))
    Refuse($"there is no target '{target}'{Closest(target, Tasks.Select(t => t.Name), "--target=")}; the targets are {string.Join(", ", Tasks.Select(t => t.Name))}");
try
{
    RunTarget(target);
}
catch (Exception)
{
    // The exit code of the gamedata command that failed (2 stays 2), else Cake's 1.
    Environment.Exit(childExitCode ?? 1);
}

/// <summary>Runs a gamedata verb with every given argument it takes; a failure fails the task with its exit code.</summary>
void Gamedata(string verb, params string[] extra)
{
    var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root };
    start.ArgumentList.Add(cliDll);
    start.ArgumentList.Add(verb);
    var shown = new List<string> { "gamedata", verb };
    foreach (var argument in chain.Where(a => a.Chain && a.Verbs.Contains(verb) && given.ContainsKey(a.Name)))
    {
        if (argument.Switch)
        {
            if (IsOn(argument.Name)) { start.ArgumentList.Add($"--{argument.Name}"); shown.Add($"--{argument.Name}"); }
            continue;
        }
        // A path is the caller's, except a preset's name and "-" (standard output).
        foreach (var value in given[argument.Name].Select(v => argument.Path && v != "-" && !argument.Presets.Contains(v) ? Resolved(v) : v))
        {
            if (argument.Secret)
            {
                // Never on a command line: `ps` shows it to every user, and Cake logs it.
                start.Environment[argument.Env] = value;
                shown.Add($"({argument.Env} in its environment)");
                continue;
            }
            start.ArgumentList.Add($"--{argument.Name}");
            start.ArgumentList.Add(value);
            shown.Add($"--{argument.Name} {value}");
        }
    }
    foreach (var value in extra) start.ArgumentList.Add(value);
    shown.AddRange(extra);
    Information(string.Join(" ", shown));

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

/// <summary>A switch, given bare (--dry-run) or with one of the list's boolean words in any case (--dry-run=yes); any other value is refused.</summary>
bool IsOn(string name) => given.TryGetValue(name, out var values) && values.Select(v => v is null || Boolean(name, v)).Last();

bool Boolean(string name, string value)
{
    if (argumentList.Booleans.True.Contains(value, StringComparer.OrdinalIgnoreCase)) return true;
    if (argumentList.Booleans.False.Contains(value, StringComparer.OrdinalIgnoreCase)) return false;
    Refuse($"--{name} '{value}' is not one of {string.Join(", ", argumentList.Booleans.True.Zip(argumentList.Booleans.False, (yes, no) => $"{yes}/{no}"))}");
    return false;
}

/// <summary>Every argument must be one of the chain's or the build's own; a misspelt one would otherwise be ignored.</summary>
void RefuseUnknownArguments()
{
    var known = chain.Where(a => a.Chain).Select(a => a.Name).Concat(buildArguments).ToHashSet();
    // Cake passes some of its own options (--no-report) to the script as settings_* arguments.
    foreach (var name in given.Keys.Where(k => !known.Contains(k) && !k.StartsWith("settings_")))
        Refuse($"unknown argument --{name}{Closest(name, known, "--")} (./build.sh --help lists them)");
    foreach (var argument in chain.Where(a => !a.Switch && given.TryGetValue(a.Name, out var values) && values.Any(v => v is null)))
        Refuse($"--{argument.Name} needs a value, e.g. --{argument.Name}=...");
    // An empty value given as its own argument (--out "" with $OUT unset) is refused as --out= is, not read as "here".
    foreach (var argument in chain.Where(a => !a.Switch && given.TryGetValue(a.Name, out var values) && values.Any(v => v is not null && string.IsNullOrWhiteSpace(v))))
        Refuse($"--{argument.Name} '' is empty; give a value, or leave it out for the default");
    foreach (var argument in chain.Where(a => a.Switch)) IsOn(argument.Name);
}

string Closest(string name, IEnumerable<string> candidates, string prefix)
{
    var best = candidates.Select(c => (Name: c, Distance: Distance(name.ToLowerInvariant(), c.ToLowerInvariant()))).OrderBy(c => c.Distance).FirstOrDefault();
    return best.Name is not null && best.Distance <= Math.Max(2, name.Length / 3) ? $"; did you mean {prefix}{best.Name}?" : "";
}

static int Distance(string a, string b)
{
    var row = Enumerable.Range(0, b.Length + 1).ToArray();
    for (var i = 1; i <= a.Length; i++)
    {
        var previous = row[0];
        row[0] = i;
        for (var j = 1; j <= b.Length; j++)
        {
            var current = row[j];
            row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
    }
    return row[b.Length];
}

void Refuse(string message)
{
    Console.Error.WriteLine($"error: {message}");
    Environment.Exit(2);
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

class ChainArgument
{
    public string Name { get; set; }
    public string[] Verbs { get; set; }
    public string Help { get; set; }
    public string Env { get; set; }
    public bool Secret { get; set; }
    public bool Path { get; set; }
    public bool Switch { get; set; }
    public bool Chain { get; set; } = true;
    public string[] Presets { get; set; } = new string[0];
}

class BooleanWords
{
    public string[] True { get; set; }
    public string[] False { get; set; }
}

class ChainArguments
{
    public BooleanWords Booleans { get; set; }
    public List<ChainArgument> Arguments { get; set; }
}
