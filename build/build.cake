// The task graph. Each task knows when to run and which `gamedata` verb to call; the library knows how.
// Run through ./build.sh or ./build.ps1, e.g. ./build.sh --target=Generate --players=500

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");

// Settings passed through to the CLI only when given, so that .env and the environment apply otherwise.
var settingFlags = new[] { "players", "max-sessions", "game-version", "seed", "batch", "start", "end", "out" };

var root = MakeAbsolute(Directory(".."));
var cliProject = root.CombineWithFilePath("src/GameData.Cli/GameData.Cli.csproj");
var cli = root.CombineWithFilePath($"src/GameData.Cli/bin/{configuration}/net10.0/gamedata.dll");

void Gamedata(string verb, IEnumerable<string> flags)
{
    var arguments = new ProcessArgumentBuilder().Append(verb);
    foreach (var flag in flags)
        if (HasArgument(flag)) arguments.Append($"--{flag}").AppendQuoted(Argument<string>(flag));
    DotNetExecute(cli, arguments, new DotNetExecuteSettings { WorkingDirectory = root });
}

Task("BuildCli")
    .Description("Builds the gamedata command.")
    .Does(() => DotNetBuild(cliProject.FullPath, new DotNetBuildSettings { Configuration = configuration, NoLogo = true }));

Task("Generate")
    .Description("Generates the course dataset into data/ (gamedata generate).")
    .IsDependentOn("BuildCli")
    .Does(() => Gamedata("generate", settingFlags));

Task("ValidateCsv")
    .Description("Validates the raw CSV files and the manifest (gamedata validate); --strict turns warnings into errors.")
    .IsDependentOn("Generate")
    .Does(() =>
    {
        var flags = new List<string> { "validate", "--data", HasArgument("out") ? Argument<string>("out") : root.Combine("data").FullPath,
                                       "--report", root.CombineWithFilePath("artifacts/validation-report.json").FullPath };
        if (HasArgument("strict")) flags.Add("--strict");
        var arguments = new ProcessArgumentBuilder();
        foreach (var flag in flags) arguments.AppendQuoted(flag);
        DotNetExecute(cli, arguments, new DotNetExecuteSettings { WorkingDirectory = root });
    });

Task("Test")
    .Description("Runs the NUnit test suite.")
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
    .Description("Benchmarks Generate and ValidateCsv: default settings and 100,000 players (wall time, events/s, MB/s, peak memory).")
    .Does(() => DotNetRun(root.CombineWithFilePath("bench/GameData.Bench/GameData.Bench.csproj").FullPath,
        new ProcessArgumentBuilder().Append("all"),
        new DotNetRunSettings { Configuration = "Release", WorkingDirectory = root }));

Task("Default")
    .Description("The chain as far as it exists: Generate, ValidateCsv.")
    .IsDependentOn("ValidateCsv");

RunTarget(target);
