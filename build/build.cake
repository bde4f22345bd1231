// The task graph: Generate → ValidateCsv → MigrateRaw → Load. Each task knows when to run and which
// `gamedata` verb to call; the library knows how. Run through ./build.sh or ./build.ps1, e.g.
//   ./build.sh --target=Load --warehouse=postgres --mode=append --batch=next

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");

// Passed through to the CLI only when given, so that .env and the environment apply otherwise.
var generationFlags = new[] { "players", "max-sessions", "game-version", "seed", "batch", "start", "end", "out" };
var warehouseFlags = new[] { "warehouse", "schema", "duckdb", "postgres" };

var root = MakeAbsolute(Directory(".."));
var data = HasArgument("out") ? MakeAbsolute(Directory(Argument<string>("out"))) : root.Combine("data");
var cliProject = root.CombineWithFilePath("src/GameData.Cli/GameData.Cli.csproj");
var cli = root.CombineWithFilePath($"src/GameData.Cli/bin/{configuration}/net10.0/gamedata.dll");
var reportFile = data.CombineWithFilePath("report.html");
var reportWritten = false;

void Gamedata(string verb, IEnumerable<string> passThrough, params string[] extra)
{
    var arguments = new ProcessArgumentBuilder().Append(verb);
    foreach (var flag in passThrough)
        if (HasArgument(flag)) arguments.Append($"--{flag}").AppendQuoted(Argument<string>(flag));
    foreach (var value in extra) arguments.AppendQuoted(value);
    DotNetExecute(cli, arguments, new DotNetExecuteSettings { WorkingDirectory = root });
}

Task("BuildCli")
    .Description("Builds the gamedata command.")
    .Does(() => DotNetBuild(cliProject.FullPath, new DotNetBuildSettings { Configuration = configuration, NoLogo = true }));

Task("Generate")
    .Description("Generates the course dataset into data/ (gamedata generate); --batch=next continues from the warehouse.")
    .IsDependentOn("BuildCli")
    .Does(() => Gamedata("generate", generationFlags.Concat(warehouseFlags)));

Task("ValidateCsv")
    .Description("Validates the raw CSV files and the manifest (gamedata validate); --strict turns warnings into errors.")
    .IsDependentOn("Generate")
    .Does(() => Gamedata("validate", new string[0], new[] { "--data", data.FullPath, "--report", root.CombineWithFilePath("artifacts/validation-report.json").FullPath }
        .Concat(HasArgument("strict") ? new[] { "--strict" } : new string[0]).ToArray()));

Task("MigrateRaw")
    .Description("Brings the RAW schema to the latest migration (gamedata migrate); --dry-run lists what would run.")
    .IsDependentOn("ValidateCsv")
    .Does(() => Gamedata("migrate", warehouseFlags, HasArgument("dry-run") ? new[] { "--dry-run" } : new string[0]));

Task("Load")
    .Description("Loads data/ into the RAW tables in one transaction (gamedata load); --mode=recreate|append.")
    .IsDependentOn("MigrateRaw")
    .WithCriteria(() => !HasArgument("dry-run"), "a dry run changes nothing")
    .Does(() => Gamedata("load", warehouseFlags.Concat(new[] { "mode" }), "--data", data.FullPath));

Task("Report")
    .Description("Writes the HTML data profile of data/ (gamedata report) to data/report.html.")
    .IsDependentOn("ValidateCsv")
    .Does(() =>
    {
        Gamedata("report", new string[0], "--data", data.FullPath, "--out", reportFile.FullPath);
        reportWritten = true;
    });

Task("Test")
    .Description("Runs the NUnit test suite (PostgreSQL tests need a server: scripts/postgres-test-server.sh).")
    .Does(() => DotNetTest(root.CombineWithFilePath("tests/GameData.Tests/GameData.Tests.csproj").FullPath,
        new DotNetTestSettings
        {
            Configuration = configuration,
            NoLogo = true,
            // A TRX file too, so CI can report the real counts.
            Loggers = { "console;verbosity=normal", "trx;LogFileName=tests.trx" },
            ResultsDirectory = root.Combine("artifacts/test-results"),
        }));

Task("Bench")
    .Description("Benchmarks Generate, ValidateCsv and Load: default settings and 100,000 players.")
    .Does(() => DotNetRun(root.CombineWithFilePath("bench/GameData.Bench/GameData.Bench.csproj").FullPath,
        new ProcessArgumentBuilder().Append(Argument("bench", "all")),
        new DotNetRunSettings { Configuration = "Release", WorkingDirectory = root }));

Task("Default")
    .Description("The whole chain: Generate, ValidateCsv, MigrateRaw, Load (into DuckDB unless --warehouse says otherwise), and the Report.")
    .IsDependentOn("Load")
    .IsDependentOn("Report");

// The chain's summary: where to look.
Teardown(context =>
{
    if (reportWritten) Information($"Report: {reportFile.FullPath}");
});

RunTarget(target);
