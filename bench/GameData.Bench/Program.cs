using GameData.Bench;

// Benchmarks anyone can re-run:  ./build.sh --target=Bench   or
//   dotnet run -c Release --project bench/GameData.Bench -- [all|generate|validate|report|load|snowflake] [players ...]
//   dotnet run -c Release --project bench/GameData.Bench -- snowflake-streaming [players ...]   (the streaming path alone)
//   dotnet run -c Release --project bench/GameData.Bench -- speed [baseline-commit] [report-players]
//   dotnet run -c Release --project bench/GameData.Bench -- reset [schemas] [players]
// The load benchmark needs PostgreSQL: GAMEDATA_BENCH_POSTGRES, else the test server (scripts/postgres-test-server.sh).
// Each scenario runs in a fresh child process so that its peak memory is its own.
var verb = args.FirstOrDefault() ?? "all";
var players = args.Length > 1 && verb is not ("speed" or "reset") ? args[1..].Select(int.Parse).ToArray() : [2000, 100_000];
switch (verb)
{
    case "all":
        ChildProcess.RunScenarios("generate", players);
        ChildProcess.RunScenarios("validate", players);
        ChildProcess.RunScenarios("report", players);
        LoadBench.RunAll(players);
        SnowflakeBench.Run();
        return 0;
    case "snowflake" or "snowflake-streaming":
        // Sizes given (e.g. `snowflake 2000 20000`), else the default dataset only.
        SnowflakeBench.Run(args.Length > 1 ? players : null, verb == "snowflake" ? ["sql", "streaming"] : ["streaming"]);
        return 0;
    case "reset":
        ResetBench.Run(args.Length > 1 ? int.Parse(args[1]) : 30, args.Length > 2 ? int.Parse(args[2]) : 2000);
        return 0;
    case "speed":
        SpeedBench.Run(args.Length > 1 ? args[1] : SpeedBench.DefaultBaseline, args.Length > 2 ? int.Parse(args[2]) : 100_000);
        return 0;
    case "generate" or "validate" or "report":
        ChildProcess.RunScenarios(verb, players);
        return 0;
    case "load":
        LoadBench.RunAll(players);
        return 0;
    case "generate-one":
        GenerateBench.RunOne(int.Parse(args[1]));
        return 0;
    case "validate-one":
        ValidateBench.RunOne(int.Parse(args[1]));
        return 0;
    case "report-one":
        ReportBench.RunOne(int.Parse(args[1]));
        return 0;
    default:
        Console.Error.WriteLine($"error: unknown benchmark '{verb}' (known: all, generate, validate, report, load, snowflake, snowflake-streaming, reset, speed)");
        return 2;
}
