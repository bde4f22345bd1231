using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GameData.Tests.Ci;

/// <summary>
/// A structural check of the CI templates under <c>examples/ci/</c>, after GitHub's workflow syntax and GitLab's
/// <c>.gitlab-ci.yml</c> reference: the keys each level may hold, what each needs, and where secrets may appear.
/// Returns the problems found, each with its place in the file.
/// </summary>
public static partial class CiTemplates
{
    /// <summary>Variables holding secrets: only the environment may carry them, never a command line.</summary>
    public static readonly string[] SecretVariables = ["GAME_POSTGRES", "PGPASSWORD", "SNOWFLAKE_TOKEN", "SNOWFLAKE_OAUTH_TOKEN", "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"];

    private static readonly string[] WorkflowKeys = ["name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"];
    private static readonly string[] JobKeys = ["name", "needs", "permissions", "if", "runs-on", "environment", "concurrency", "outputs", "env", "defaults",
                                                "steps", "timeout-minutes", "strategy", "continue-on-error", "container", "services"];
    private static readonly string[] StepKeys = ["id", "if", "name", "uses", "run", "working-directory", "shell", "with", "env", "continue-on-error", "timeout-minutes"];
    private static readonly string[] Triggers = ["push", "pull_request", "schedule", "workflow_dispatch", "workflow_call", "release", "merge_group"];

    private static readonly string[] GitLabGlobalKeys = ["stages", "variables", "default", "workflow", "include", "image", "services", "before_script", "after_script", "cache"];
    private static readonly string[] GitLabJobKeys = ["stage", "image", "services", "script", "before_script", "after_script", "variables", "artifacts", "rules",
                                                      "resource_group", "cache", "needs", "tags", "timeout", "interruptible", "when", "retry", "allow_failure",
                                                      "environment", "dependencies"];
    private static readonly string[] ArtifactKeys = ["paths", "when", "name", "expire_in", "reports", "expose_as", "untracked", "exclude"];

    [GeneratedRegex(@"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[\w.-]+$")]
    private static partial Regex Action();

    [GeneratedRegex(@"^(\S+\s+){4}\S+$")]
    private static partial Regex Cron();

    public static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static List<string> GitHubProblems(YamlMappingNode workflow)
    {
        var problems = new List<string>();
        Only(workflow, WorkflowKeys, "workflow", problems);
        Require(workflow, ["on", "jobs"], "workflow", problems);
        if (Child(workflow, "on") is YamlMappingNode on)
        {
            Only(on, Triggers, "on", problems);
            if (Child(on, "schedule") is YamlSequenceNode schedule)
                foreach (var entry in schedule.OfType<YamlMappingNode>())
                    if (Scalar(entry, "cron") is not { } cron || !Cron().IsMatch(cron)) problems.Add($"on.schedule: '{Scalar(entry, "cron")}' is not a cron line");
        }
        Concurrency(Child(workflow, "concurrency"), "concurrency", problems);
        foreach (var (name, node) in Mapping(workflow, "jobs"))
        {
            if (node is not YamlMappingNode job) { problems.Add($"jobs.{name} is not a mapping"); continue; }
            Only(job, JobKeys, $"jobs.{name}", problems);
            Require(job, ["runs-on", "steps"], $"jobs.{name}", problems);
            Concurrency(Child(job, "concurrency"), $"jobs.{name}.concurrency", problems);
            var i = 0;
            foreach (var step in (Child(job, "steps") as YamlSequenceNode)?.Children ?? [])
            {
                var where = $"jobs.{name}.steps[{i++}]";
                if (step is not YamlMappingNode s) { problems.Add($"{where} is not a mapping"); continue; }
                Only(s, StepKeys, where, problems);
                if ((Child(s, "uses") is null) == (Child(s, "run") is null)) problems.Add($"{where} needs exactly one of uses and run");
                if (Scalar(s, "uses") is { } uses && !Action().IsMatch(uses)) problems.Add($"{where}: uses '{uses}' is not owner/repo@ref");
                if (Scalar(s, "run") is { } run && SecretVariables.Any(v => run.Contains('$' + v, StringComparison.Ordinal)))
                    problems.Add($"{where}: a secret on the command line");
            }
        }
        SecretsOnlyInEnv(workflow, "", problems);
        return problems;
    }

    public static List<string> GitLabProblems(YamlMappingNode pipeline)
    {
        var problems = new List<string>();
        var stages = (Child(pipeline, "stages") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(s => s.Value).ToList() ?? ["build", "test", "deploy"];
        foreach (var (name, node) in pipeline.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value)))
        {
            if (GitLabGlobalKeys.Contains(name) || name.StartsWith('.')) continue;
            if (node is not YamlMappingNode job) { problems.Add($"{name}: not a job (a mapping)"); continue; }
            Only(job, GitLabJobKeys, name, problems);
            Require(job, ["script"], name, problems);
            if (Scalar(job, "stage") is { } stage && !stages.Contains(stage)) problems.Add($"{name}: stage '{stage}' is not in stages");
            foreach (var key in new[] { "script", "before_script", "after_script" })
            {
                var lines = Child(job, key);
                if (lines is not null and not YamlSequenceNode) problems.Add($"{name}.{key} is not a list of lines");
                foreach (var line in (lines as YamlSequenceNode)?.Children ?? [])
                    if (line is not YamlScalarNode { Value: { } text }) problems.Add($"{name}.{key}: a line that is not text");
                    else if (SecretVariables.Any(v => text.Contains('$' + v, StringComparison.Ordinal))) problems.Add($"{name}.{key}: a secret on the command line");
            }
            if (Child(job, "artifacts") is YamlMappingNode artifacts)
            {
                Only(artifacts, ArtifactKeys, $"{name}.artifacts", problems);
                if (Scalar(artifacts, "when") is { } when && when is not ("on_success" or "on_failure" or "always")) problems.Add($"{name}.artifacts.when '{when}'");
            }
            foreach (var (variable, _) in Mapping(job, "variables").Concat(Mapping(pipeline, "variables")))
                if (SecretVariables.Contains(variable)) problems.Add($"{name}: the secret {variable} written into the file (make it a masked CI/CD variable)");
        }
        return problems;
    }

    /// <summary>The lines of a GitHub workflow's <c>run</c> steps, or a GitLab job's <c>script</c>, that call the platform's build.</summary>
    public static List<string> BuildCommands(YamlMappingNode template) =>
        Descendants(template).OfType<YamlMappingNode>()
            .SelectMany(m => Child(m, "run") is YamlScalarNode run ? [run.Value!] : (Child(m, "script") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(s => s.Value!) ?? [])
            .Where(line => line.Contains("build.sh", StringComparison.Ordinal)).ToList();

    /// <summary>Every value of an <c>env</c> or <c>variables</c> mapping (a job's after the workflow's), as the CI hands it to the job.</summary>
    public static Dictionary<string, string> Environment(YamlMappingNode template) =>
        Descendants(template).OfType<YamlMappingNode>().SelectMany(m => Mapping(m, "env").Concat(Mapping(m, "variables")))
            .Where(v => v.Value is YamlScalarNode).GroupBy(v => v.Key).ToDictionary(g => g.Key, g => ((YamlScalarNode)g.Last().Value).Value!);

    /// <summary>The upload paths: <c>with.path</c> lines of upload-artifact steps, or <c>artifacts.paths</c>.</summary>
    public static List<string> Artifacts(YamlMappingNode template) =>
        Descendants(template).OfType<YamlMappingNode>().SelectMany(m =>
            Scalar(m, "uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true && Child(m, "with") is YamlMappingNode with
                ? (Scalar(with, "path") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : Child(m, "artifacts") is YamlMappingNode artifacts && Child(artifacts, "paths") is YamlSequenceNode paths
                    ? paths.Children.OfType<YamlScalarNode>().Select(p => p.Value!) : []).ToList();

    private static void SecretsOnlyInEnv(YamlNode node, string path, List<string> problems)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } text } when text.Contains("secrets.", StringComparison.Ordinal) && !Regex.IsMatch(path, @"\.env\.[^.]+$"):
                problems.Add($"{path}: a secret outside an env mapping");
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children) SecretsOnlyInEnv(value, $"{path}.{((YamlScalarNode)key).Value}", problems);
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children) SecretsOnlyInEnv(item, path + "[]", problems);
                break;
        }
    }

    private static void Concurrency(YamlNode? node, string where, List<string> problems)
    {
        if (node is YamlMappingNode mapping)
        {
            Only(mapping, ["group", "cancel-in-progress"], where, problems);
            Require(mapping, ["group"], where, problems);
            if (Scalar(mapping, "cancel-in-progress") is { } cancel && cancel is not ("true" or "false")) problems.Add($"{where}.cancel-in-progress is not true or false");
        }
        else if (node is not null and not YamlScalarNode) problems.Add($"{where} is neither a group name nor a mapping");
    }

    private static IEnumerable<YamlNode> Descendants(YamlNode node) => node.AllNodes;

    private static YamlNode? Child(YamlMappingNode mapping, string key) => mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private static IEnumerable<KeyValuePair<string, YamlNode>> Mapping(YamlMappingNode mapping, string key) =>
        (Child(mapping, key) as YamlMappingNode)?.Children.Select(c => new KeyValuePair<string, YamlNode>(((YamlScalarNode)c.Key).Value!, c.Value)) ?? [];

    private static void Only(YamlMappingNode mapping, string[] allowed, string where, List<string> problems)
    {
        foreach (var key in mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(k => !allowed.Contains(k)))
            problems.Add($"{where}: unknown key '{key}'");
    }

    private static void Require(YamlMappingNode mapping, string[] keys, string where, List<string> problems)
    {
        foreach (var key in keys.Where(k => Child(mapping, k) is null)) problems.Add($"{where}: '{key}' is missing");
    }
}
