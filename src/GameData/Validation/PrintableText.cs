using System.Text;

namespace GameData.Validation;

/// <summary>
/// Text from the data made safe for a log line: control characters (line breaks included) shown as escapes, so
/// that no value can end the line and start another, such as a GitHub Actions workflow command (<c>::error ...</c>).
/// </summary>
public static class PrintableText
{
    public static string Of(string text)
    {
        if (!text.Any(NeedsEscape)) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when NeedsEscape(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return escaped.ToString();
    }

    // C0 and C1 controls, DEL, and Unicode's line and paragraph separators.
    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
