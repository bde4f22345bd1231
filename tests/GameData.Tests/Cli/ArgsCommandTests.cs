using System.Text.Json;
using System.Text.Json.Nodes;
using GameData.Cli;

namespace GameData.Tests.Cli;

/// <summary>
/// <c>gamedata args</c>, the build's argument front-end, run in this process: the arguments ./build.sh was given come
/// as JSON on standard input, and either one error line and exit 2 come back, or each verb's route. The build's own
/// tests (<c>BuildScriptTests</c>) run the same through Cake.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ArgsCommandTests
{
    private static readonly string[] Targets = ["Help", "BuildCli", "Generate", "ValidateCsv", "Load", "Default"];

    [TestCase("""{"player": ["500"]}""", "unknown argument --player; did you mean --players? (./build.sh --help lists them)")]
    [TestCase("""{"targe": ["Load"]}""", "unknown argument --targe; did you mean --target?")]
    [TestCase("""{"target": ["Lod"]}""", "there is no target 'Lod'; did you mean --target=Load?; the targets are Help, BuildCli, Generate")]
    [TestCase("""{"players": [null]}""", "--players needs a value, e.g. --players=...")]
    [TestCase("""{"out": [" "]}""", "--out '' is empty; give a value, or leave it out for the default")]
    [TestCase("""{"dry-run": ["maybe"]}""", "--dry-run 'maybe' is not one of true/false, yes/no, 1/0, on/off")]
    [TestCase("""{"force": ["yes", "2"]}""", "--force '2' is not one of")]
    public void What_the_build_cannot_use_is_one_error_line_and_exit_2(string arguments, string message)
    {
        var (exitCode, output, error) = Args(arguments, TestContext.CurrentContext.TestDirectory);
        Assert.That(exitCode, Is.EqualTo(2), error);
        Assert.That(error, Does.StartWith($"error: {message}"));
        Assert.That(error.Trim(), Does.Not.Contain('\n'));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void Each_verb_gets_the_arguments_it_takes_paths_from_the_callers_folder()
    {
        using var caller = new TempFolder();
        var (exitCode, output, error) = Args("""
            {"players": ["50"], "out": ["mydata"], "anomalies": ["light"], "result-json": ["-"], "duckdb": ["w.duckdb"],
             "strict": [null], "force": ["no"], "target": ["load"], "configuration": ["Debug"]}
            """, caller.Path);
        Assert.That(exitCode, Is.Zero, error);
        var routes = JsonNode.Parse(output)!;

        Assert.That(Words(routes["verbs"]!["generate"]!["args"]!), Is.EqualTo(new[]
            { "--players", "50", "--out", caller.File("mydata"), "--anomalies", "light", "--duckdb", caller.File("w.duckdb") }),
            "a preset's name as it is; --force=no is no --force");
        Assert.That(Words(routes["verbs"]!["validate"]!["args"]!), Is.EqualTo(new[] { "--strict", "--result-json", "-" }),
            "- is standard output");
        Assert.That(Words(routes["verbs"]!["report"]!["args"]!), Is.Empty, "--out is generate's; the build names the report's file");
        Assert.That(routes["verbs"]!["migrate"]!["shown"]!.GetValue<string>(),
            Is.EqualTo($"gamedata migrate --duckdb {caller.File("w.duckdb")}"));
        Assert.That(routes["data"]!.GetValue<string>(), Is.EqualTo(caller.File("mydata")));
        Assert.That(routes["dryRun"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public void A_secret_is_named_for_the_childs_environment_and_never_written_out()
    {
        var secret = "s3cret-" + Guid.NewGuid().ToString("N")[..10];
        var (exitCode, output, error) = Args($$"""{"postgres": ["Host=db;Password={{secret}}"], "dry-run": ["YES"]}""",
            TestContext.CurrentContext.TestDirectory);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Not.Contain(secret));
        var load = JsonNode.Parse(output)!["verbs"]!["load"]!;
        Assert.That(load["secrets"]!["GAME_POSTGRES"]!.GetValue<string>(), Is.EqualTo("postgres"),
            "the argument whose value the variable takes");
        Assert.That(Words(load["args"]!), Is.EqualTo(new[] { "--dry-run" }));
        Assert.That(load["shown"]!.GetValue<string>(), Is.EqualTo("gamedata load (GAME_POSTGRES in its environment) --dry-run"));
        Assert.That(JsonNode.Parse(output)!["dryRun"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public void The_help_lists_every_argument_the_build_takes()
    {
        var (_, output, _) = Args("{}", TestContext.CurrentContext.TestDirectory);
        var help = Words(JsonNode.Parse(output)!["help"]!);
        foreach (var flag in new[] { "--players", "--postgres", "--dry-run", "--target", "--configuration", "--bench" })
            Assert.That(help, Has.One.StartsWith($"  {flag} "));
        Assert.That(help, Has.None.StartsWith("  --data "), "the build sets --data itself");
    }

    private static (int ExitCode, string Output, string Error) Args(string arguments, string caller)
    {
        var request = $$"""{"arguments": {{arguments}}, "targets": {{JsonSerializer.Serialize(Targets)}}}""";
        var (output, error) = (new StringWriter(), new StringWriter());
        var context = new CliContext(new Dictionary<string, string?>(), caller, output, error, Input: new StringReader(request));
        var exitCode = Program.Run(["args"], context).GetAwaiter().GetResult();
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string[] Words(JsonNode list) => [.. list.AsArray().Select(w => w!.GetValue<string>())];
}
