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
public sealed class CiOutputs(CliContext context)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private bool OnGitHubActions => context.Variable("GITHUB_ACTIONS") == "true";

    /// <summary>
    /// Checked before the work: each output file the user named (<see cref="OutputFile.RequireWritable"/>). True when
    /// one of them is standard output (<c>-</c>), which it then has to itself: give that to
    /// <see cref="Terminal.Detect"/>, and the log goes to standard error instead.
    /// </summary>
    public bool RequireWritable(params (string Flag, string? Path)[] outputs)
    {
        var given = outputs.Where(o => o.Path is not null).ToList();
        foreach (var (flag, path) in given) OutputFile.RequireWritable(flag, path!, context.BaseDirectory);
        var toStandardOutput = given.Where(o => o.Path == OutputFile.StandardOutput).Select(o => o.Flag).ToList();
        if (toStandardOutput.Count > 1)
            throw new SettingsException($"{string.Join(" and ", toStandardOutput)} cannot both be written to standard output ('-')");
        return toStandardOutput.Count == 1;
    }

    /// <summary>Writes the summary as <see cref="OutputFile"/> writes a file, a relative path from the caller's folder.</summary>
    public void WriteResult(string? path, object result)
    {
        if (path is not null) Write(path, JsonSerializer.Serialize(result, Json) + "\n");
    }

    /// <summary>
    /// <see cref="OutputFile.Write"/>, with <c>-</c> the run's standard output and a relative path from the caller's folder.
    /// </summary>
    public string Write(string path, string text) =>
        OutputFile.Write(path == OutputFile.StandardOutput ? path : context.FullPath(path), text, context.Out);

    /// <summary><c>::error file=...,line=...::message</c>, as GitHub Actions reads it from the log.</summary>
    public void Annotate(Terminal terminal, string file, long line, string message)
    {
        if (!OnGitHubActions) return;
        var where = line > 0 ? $"file={Escape(file, true)},line={line}" : $"file={Escape(file, true)}";
        terminal.Line($"::error {where}::{Escape(message, false)}");
    }

    /// <summary>Appends Markdown to the step's summary page.</summary>
    public void AppendSummary(string markdown)
    {
        if (!OnGitHubActions || context.Variable("GITHUB_STEP_SUMMARY") is not { Length: > 0 } path) return;
        File.AppendAllText(context.FullPath(path), markdown.TrimEnd() + "\n\n");
    }

    /// <summary>GitHub's workflow-command escaping: %, CR and LF always; also : and , in a property.</summary>
    private static string Escape(string text, bool property)
    {
        var escaped = text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
        return property ? escaped.Replace(":", "%3A").Replace(",", "%2C") : escaped;
    }
}
