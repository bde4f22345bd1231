using System.Text;
using System.Text.RegularExpressions;

namespace GameData.Settings;

/// <summary>
/// Reads a <c>.env</c> file the way the common dotenv tools do: <c>KEY=value</c> lines, blank lines and
/// <c>#</c> comments, an optional <c>export</c> (then spaces or tabs), and values that are unquoted (up to a
/// <c> #</c> comment), single-quoted (literal) or double-quoted (<c>\n \t \" \\</c> escapes), each quoted
/// value optionally followed by a comment. Anything else is an error naming the file and line.
/// </summary>
public static partial class DotEnvFile
{
    [GeneratedRegex(@"^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$")]
    private static partial Regex Assignment();

    public static IReadOnlyList<KeyValuePair<string, string?>> Read(string path)
    {
        var values = new List<KeyValuePair<string, string?>>();
        var lineNumber = 0;
        foreach (var rawLine in File.ReadLines(path))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var match = Assignment().Match(line);
            if (!match.Success)
                throw new SettingsException($"{path}:{lineNumber}: expected KEY=value (a letter or _, then letters, digits, _ or .)");
            var value = Value(match.Groups[2].Value, out var problem);
            if (problem is not null) throw new SettingsException($"{path}:{lineNumber}: {match.Groups[1].Value}: {problem}");
            values.Add(new(match.Groups[1].Value, value));
        }
        return values;
    }

    private static string Value(string text, out string? problem)
    {
        problem = null;
        if (text.Length == 0) return "";
        if (text[0] is not ('"' or '\''))
        {
            var comment = Regex.Match(text, @"[ \t]#");
            return (comment.Success ? text[..comment.Index] : text).TrimEnd();
        }

        var quote = text[0];
        var value = new StringBuilder();
        var i = 1;
        for (; i < text.Length && text[i] != quote; i++)
        {
            if (quote == '"' && text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(text[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => text[i] });
            }
            else value.Append(text[i]);
        }
        if (i >= text.Length)
        {
            problem = $"the {(quote == '"' ? "double" : "single")} quote is not closed on this line " +
                "(values spanning lines are not supported)";
            return "";
        }
        var rest = text[(i + 1)..].Trim();
        if (rest.Length > 0 && !rest.StartsWith('#')) problem = "unexpected text after the closing quote (a comment needs a # before it)";
        return value.ToString();
    }
}
