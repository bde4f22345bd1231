using GameData.Settings;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GameData.Dbt;

/// <summary>
/// A student's dbt project: <c>dbt_project.yml</c> names the profile to use, and a <c>packages.yml</c> or
/// <c>dependencies.yml</c> calls for <c>dbt deps</c> first.
/// </summary>
public sealed record DbtProject(string Directory, string Profile, bool HasPackages)
{
    public const string FileName = "dbt_project.yml";

    /// <summary>
    /// dbt's <c>run_results.json</c> under its target path (<c>target</c> unless set; relative to the project, or absolute).
    /// </summary>
    public string RunResultsIn(string? targetPath) => Path.Combine(Directory, targetPath ?? "target", "run_results.json");

    public static DbtProject Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full)) throw new SettingsException($"the dbt project folder {full} does not exist");
        var file = Path.Combine(full, FileName);
        if (!File.Exists(file)) throw new SettingsException($"{full} has no {FileName}, so it is not a dbt project (dbt init creates one)");
        var profile = ProfileOf(file);
        var hasPackages = File.Exists(Path.Combine(full, "packages.yml")) || File.Exists(Path.Combine(full, "dependencies.yml"));
        return new DbtProject(full, profile, hasPackages);
    }

    private static string ProfileOf(string file)
    {
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new SettingsException($"{file}:{e.Start.Line}: not valid YAML ({e.Message.Split('\n')[0]})");
        }
        if (yaml.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root ||
            !root.Children.TryGetValue(new YamlScalarNode("profile"), out var node) ||
            node is not YamlScalarNode { Value: { Length: > 0 } profile })
            throw new SettingsException($"{file} names no profile (add profile: 'game_analytics', or the name dbt init gave it)");
        return profile;
    }
}
