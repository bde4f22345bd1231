using System.Text;
using GameData.Settings;

namespace GameData.Dbt;

/// <summary>
/// Splits <c>--dbt-args</c> into arguments the way a shell splits words (spaces, 'single' and "double" quotes,
/// backslash escapes) without running a shell: <c>;</c>, <c>|</c>, <c>$(...)</c> and the like stay literal text.
/// </summary>
public static class ShellWords
{
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = null; else word.Append(c);
                continue;
            }
            if (c == '\\' && i + 1 < text.Length && (quote is null || text[i + 1] is '"' or '\\'))
            {
                word.Append(text[++i]);
                inWord = true;
                continue;
            }
            if (quote == '"')
            {
                if (c == '"') quote = null; else word.Append(c);
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (quote is not null) throw new SettingsException($"--dbt-args has an unclosed {quote} quote");
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
