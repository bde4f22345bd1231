using System.Text.Json;
using System.Text.Json.Serialization;
using GameData.Files;
using GameData.Settings;

namespace GameData.Cli.Console;

/// <summary>
/// What CI pipelines read besides the log: a machine-readable summary (<c>--result-json FILE</c>), and on GitHub
/// Actions (<c>GITHUB_ACTIONS=true</c>) workflow annotations and a Markdown summary of the run
/// (<c>$GITHUB_STEP_SUMMARY</c>).
/// </summary>
public static class CiOutputs
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static bool OnGitHubActions => Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true";

    /// <summary>Checked before the work: a folder, or an empty name, is refused at once.</summary>
    public static void RequireWritable(string? path)
    {
        if (path is not null && Directory.Exists(path)) throw new SettingsException($"--result-json '{path}' is a folder; give the JSON file's name");
    }

    /// <summary>Writes the summary under a temporary name and renames it into place.</summary>
    public static void WriteResult(string? path, object result)
    {
        if (path is null) return;
        var full = Path.GetFullPath(path);
        using var files = new AtomicFileSet(Path.GetDirectoryName(full)!);
        using (var writer = new StreamWriter(files.Create(Path.GetFileName(full))))
            writer.Write(JsonSerializer.Serialize(result, Json) + "\n");
        files.Commit();
    }

    /// <summary><c>::error file=...,line=...::message</c>, as GitHub Actions reads it from the log.</summary>
    public static void Annotate(string file, long line, string message)
    {
        if (!OnGitHubActions) return;
        var where = line > 0 ? $"file={Escape(file, true)},line={line}" : $"file={Escape(file, true)}";
        System.Console.Out.WriteLine($"::error {where}::{Escape(message, false)}");
    }

    /// <summary>Appends Markdown to the step's summary page.</summary>
    public static void AppendSummary(string markdown)
    {
        if (!OnGitHubActions || Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is not { Length: > 0 } path) return;
        File.AppendAllText(path, markdown.TrimEnd() + "\n\n");
    }

    /// <summary>GitHub's workflow-command escaping: %, CR and LF always; also : and , in a property.</summary>
    private static string Escape(string text, bool property)
    {
        var escaped = text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
        return property ? escaped.Replace(":", "%3A").Replace(",", "%2C") : escaped;
    }
}
