using System.Diagnostics;
using GameData.Bench;

// Benchmarks anyone can re-run:  ./build.sh --target=Bench   or
//   dotnet run -c Release --project bench/GameData.Bench -- generate [players ...]
// Each scenario runs in a fresh child process so that its peak memory is its own.
var verb = args.FirstOrDefault() ?? "generate";
switch (verb)
{
    case "generate":
        var players = args.Length > 1 ? args[1..].Select(int.Parse).ToArray() : [2000, 100_000];
        GenerateBench.RunAll(players);
        return 0;
    case "generate-one":
        GenerateBench.RunOne(int.Parse(args[1]));
        return 0;
    default:
        Console.Error.WriteLine($"error: unknown benchmark '{verb}' (known: generate)");
        return 2;
}
