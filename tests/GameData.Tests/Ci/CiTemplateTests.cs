using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GameData.Settings;
using GameData.Tests.Dbt;
using GameData.Tests.Loading;
using Npgsql;

namespace GameData.Tests.Ci;

/// <summary>
/// The CI templates a course team copies (<c>examples/ci/</c>): each checked against its CI's syntax, and the
/// build commands each holds run as the CI would run them (bash, in a workspace laid out as the template's
/// checkout steps leave it, with the job's environment) on the local DuckDB and PostgreSQL, with the stand-in
/// dbt where the template installs dbt. The checkout is the build tests' shared copy of the repository, whose CLI
/// is up to date.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public partial class CiTemplateTests
{
    private static readonly string Root = RepositoryFolders.Root(TestContext.CurrentContext.TestDirectory);
    private static readonly string Examples = Path.Combine(Root, "examples", "ci");

    private static IEnumerable<TestCaseData> Templates() =>
        Directory.GetFiles(Examples, "*.yml", SearchOption.AllDirectories).Order()
            .Select(file => new TestCaseData(Path.GetRelativePath(Examples, file)).SetArgDisplayNames(Path.GetRelativePath(Examples, file)));

    [TestCaseSource(nameof(Templates))]
    public void Each_template_is_valid_for_its_CI(string template)
    {
        var yaml = CiTemplates.Load(Path.Combine(Examples, template));
        var problems = template.StartsWith("github", StringComparison.Ordinal) ? CiTemplates.GitHubProblems(yaml) : CiTemplates.GitLabProblems(yaml);
        Assert.That(problems, Is.Empty);
        Assert.That(CiTemplates.BuildCommands(yaml), Has.Count.EqualTo(1), "one build command, which the tests below run");
    }

    [Test]
    public void The_check_finds_what_GitHub_and_GitLab_would_refuse()
    {
        var workflow = Parse("""
            name: x
            on: { push: {}, schedule: [{ cron: "every monday" }] }
            concurrency: { cancel-in-progress: true }
            jobs:
              a:
                runs-on: ubuntu-latest
                step: []
                steps:
                  - uses: actions/checkout@v4
                    run: echo both
                  - run: ./build.sh --postgres="$GAME_POSTGRES" --token=${{ secrets.TOKEN }}
            """);
        Assert.That(CiTemplates.GitHubProblems(workflow), Is.EqualTo(new[]
        {
            "on.schedule: 'every monday' is not a cron line", "concurrency: 'group' is missing", "jobs.a: unknown key 'step'",
            "jobs.a.steps[0] needs exactly one of uses and run", "jobs.a.steps[1]: a secret on the command line",
            ".jobs.a.steps[].run: a secret outside an env mapping",
        }));

        var pipeline = Parse("""
            stages: [build]
            variables: { GAME_POSTGRES: "Host=db;Password=oops" }
            dbt:
              stage: test
              script: ./build.sh
              artifacts: { when: sometimes }
            """);
        Assert.That(CiTemplates.GitLabProblems(pipeline), Is.EqualTo(new[]
        {
            "dbt: stage 'test' is not in stages", "dbt.script is not a list of lines", "dbt.artifacts.when 'sometimes'",
            "dbt: the secret GAME_POSTGRES written into the file (make it a masked CI/CD variable)",
        }));
    }

    [TestCase("github/dbt-project.yml")]
    [TestCase("gitlab/dbt-project.gitlab-ci.yml")]
    public void A_students_template_runs_the_chain_and_dbt_build_on_DuckDB_with_no_secret(string template)
    {
        var yaml = CiTemplates.Load(Path.Combine(Examples, template));
        var command = CiTemplates.BuildCommands(yaml).Single();
        Assert.That(command, Does.Contain("--dbt-project=. --dbt-target=ci"));
        Assert.That(File.ReadAllText(Path.Combine(Examples, template)), Does.Not.Contain("secrets.").And.Not.Contain("--warehouse"));
        using var folder = new TempFolder();
        var workspace = DbtCommandTests.Project(folder);
        var dbt = new FakeDbt(Path.Combine(workspace, "venv", "bin", "dbt"), folder.File("calls"));
        File.WriteAllText(folder.File("run_results.json"), """{"results": [{"unique_id": "model.game.stg_players", "status": "success"}]}""");

        var run = Run(template, command, workspace, new() { ["FAKE_DBT_RESULTS"] = folder.File("run_results.json") });

        Assert.That(run.ExitCode, Is.Zero, run.Output);
        var call = dbt.Calls.Single();
        Assert.That((call.Args[0], call.Value("--target"), call.Value("--project-dir")), Is.EqualTo(("build", "ci", workspace)));
        Assert.That(run.Output, Does.Contain("dbt: 1 model, 0 tests; 1 passed"));
        var uploaded = CiTemplates.Artifacts(yaml);
        Assert.That(uploaded, Does.Contain("target/run_results.json").And.Contain("gamedata/data/report.html"));
        Assert.That(uploaded.Where(p => p != "target/manifest.json").Select(p => File.Exists(Path.Combine(workspace, p))), Has.All.True,
            "every artifact but dbt's manifest (the stand-in writes none) is where the template uploads it from");
        if (template.StartsWith("github", StringComparison.Ordinal))
            Assert.That(File.ReadAllText(Path.Combine(workspace, "step-summary.md")), Does.Contain("### gamedata load: succeeded"));
    }

    [TestCase("github/class-reset.yml")]
    [TestCase("gitlab/class-reset.gitlab-ci.yml")]
    public void An_instructors_template_resets_the_class_on_PostgreSQL_with_the_secret_only_in_the_environment(string template)
    {
        PostgresTestServer.Require();
        var yaml = CiTemplates.Load(Path.Combine(Examples, template));
        var text = File.ReadAllText(Path.Combine(Examples, template));
        Assert.That(text, template.StartsWith("github", StringComparison.Ordinal)
            ? Does.Contain("concurrency:").And.Contain("group: gamedata-class-reset").And.Contain("schedule:")
            : Does.Contain("resource_group: gamedata-class-reset").And.Contain("$CI_PIPELINE_SOURCE == \"schedule\""));
        var command = CiTemplates.BuildCommands(yaml).Single();
        var resultFile = ResultJson().Match(command).Groups[1].Value;
        Assert.That(CiTemplates.Artifacts(yaml), Does.Contain(resultFile), "the result is kept");
        using var folder = new TempFolder();
        var schemas = new[] { "ci_" + Guid.NewGuid().ToString("N")[..8], "ci_" + Guid.NewGuid().ToString("N")[..8] };
        // What the CI's secret store and variables hold for the job.
        var store = new Dictionary<string, string?> { ["GAME_POSTGRES"] = PostgresTestServer.ConnectionString, ["CLASS_SCHEMAS"] = string.Join(',', schemas) };
        try
        {
            var run = Run(template, command, folder.Path, store);

            Assert.That(run.ExitCode, Is.Zero, run.Output);
            var json = File.ReadAllText(Path.Combine(folder.Path, resultFile));
            Assert.That(ResultSchema.Errors(json), Is.Empty);
            using var result = JsonDocument.Parse(json);
            Assert.That(result.RootElement.GetProperty("targets").EnumerateArray().Select(t => (t.GetProperty("name").GetString(), t.GetProperty("status").GetString())),
                Is.EqualTo(schemas.Select(s => ((string?)s, (string?)"reset"))));
            Assert.That(run.Output, Does.Not.Contain("Password=").IgnoreCase, "the connection string is never shown");
        }
        finally
        {
            using var connection = new NpgsqlConnection(PostgresTestServer.ConnectionString);
            connection.Open();
            foreach (var schema in schemas)
                using (var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection)) drop.ExecuteNonQuery();
        }
    }

    [GeneratedRegex(@"--result-json=(\S+)")]
    private static partial Regex ResultJson();

    private sealed record RunResult(int ExitCode, string Output);

    /// <summary>
    /// Runs a template's command with bash in <paramref name="workspace"/>, where the platform's checkout
    /// (<c>.gamedata</c>) is this repository. The job's environment is the template's env/variables, with
    /// <c>${{ secrets.X }}</c> and <c>${{ vars.X }}</c> taken from <paramref name="store"/>; on GitLab the store's
    /// variables are in the environment as they are.
    /// </summary>
    private static RunResult Run(string template, string command, string workspace, Dictionary<string, string?> store)
    {
        Directory.CreateSymbolicLink(Path.Combine(workspace, ".gamedata"), Build.RepositoryCopy.Shared);
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", command])
        {
            WorkingDirectory = workspace, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("GAME_", StringComparison.Ordinal) || k.StartsWith("PG", StringComparison.Ordinal)
                                                              || k.StartsWith("SNOWFLAKE_", StringComparison.Ordinal) || k is "N_PLAYERS" or "NO_COLOR").ToList())
            start.Environment.Remove(key);
        start.Environment["CI"] = "true";
        // What these tests check is the template, not the dataset's size: a small one (a CI variable a course may set).
        start.Environment["N_PLAYERS"] = "100";
        if (template.StartsWith("github", StringComparison.Ordinal))
        {
            start.Environment["GITHUB_ACTIONS"] = "true";
            start.Environment["GITHUB_STEP_SUMMARY"] = Path.Combine(workspace, "step-summary.md");
        }
        else foreach (var (key, value) in store) start.Environment[key] = value;
        foreach (var (key, value) in CiTemplates.Environment(CiTemplates.Load(Path.Combine(Examples, template))))
            start.Environment[key] = Expression().Replace(value, m => store.GetValueOrDefault(m.Groups[1].Value) ?? "");
        foreach (var (key, value) in store.Where(s => s.Key.StartsWith("FAKE_", StringComparison.Ordinal))) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new StringBuilder();
        var pumps = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        if (!process.WaitForExit(TimeSpan.FromMinutes(10))) process.Kill(entireProcessTree: true);
        pumps.Wait();
        return new RunResult(process.ExitCode, output.ToString());
    }

    [GeneratedRegex(@"\$\{\{\s*(?:secrets|vars)\.(\w+)\s*\}\}")]
    private static partial Regex Expression();

    private static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
            lock (output) output.AppendLine(line);
    }

    private static YamlDotNet.RepresentationModel.YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents.Single().RootNode;
    }
}
