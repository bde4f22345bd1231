using System.Globalization;
using System.Text;

namespace FakeSnowflake;

/// <summary>
/// Reads SQL the way Snowflake does where the loader depends on it: single-quoted string literals with
/// both <c>''</c> and backslash escapes, and the constants of a VALUES list. Written from Snowflake's
/// documented rules, independently of the client's encoder, so round trips test something.
/// </summary>
public static class SnowflakeLiteral
{
    /// <summary>Decodes the literal starting at <paramref name="position"/> (on its opening quote); moves past it.</summary>
    public static string Read(string sql, ref int position)
    {
        if (sql[position] != '\'') throw new FormatException($"expected a string literal at {position}");
        var end = sql.AsSpan(position + 1).IndexOfAny('\'', '\\') + position + 1;
        if (end > position && sql[end] == '\'' && (end + 1 >= sql.Length || sql[end + 1] != '\''))
        {
            // Most literals hold neither escapes nor quotes.
            var plain = sql[(position + 1)..end];
            position = end + 1;
            return plain;
        }
        var value = new StringBuilder();
        var i = position + 1;
        while (true)
        {
            if (i >= sql.Length) throw new FormatException("unterminated string literal");
            var c = sql[i];
            if (c == '\'')
            {
                if (i + 1 < sql.Length && sql[i + 1] == '\'') { value.Append('\''); i += 2; continue; }
                position = i + 1;
                return value.ToString();
            }
            if (c == '\\')
            {
                var next = sql[i + 1];
                switch (next)
                {
                    case 'n': value.Append('\n'); i += 2; break;
                    case 't': value.Append('\t'); i += 2; break;
                    case 'r': value.Append('\r'); i += 2; break;
                    case 'b': value.Append('\b'); i += 2; break;
                    case 'f': value.Append('\f'); i += 2; break;
                    case '0': value.Append('\0'); i += 2; break;
                    case 'x': value.Append((char)int.Parse(sql.AsSpan(i + 2, 2), NumberStyles.HexNumber)); i += 4; break;
                    case 'u': value.Append((char)int.Parse(sql.AsSpan(i + 2, 4), NumberStyles.HexNumber)); i += 6; break;
                    default: value.Append(next); i += 2; break; // \\ \' \" and any other character stand for themselves
                }
                continue;
            }
            value.Append(c);
            i++;
        }
    }

    /// <summary>Stands for a <c>?</c> in a VALUES list, to be replaced by the request's binding.</summary>
    public static readonly object Binding = new();

    /// <summary>
    /// The rows of <c>VALUES (...), (...)</c> starting at <paramref name="position"/>: strings, numbers (decimal), NULL,
    /// TRUE/FALSE and <see cref="Binding"/>. Anything else is refused, as Snowflake refuses PARSE_JSON in VALUES.
    /// </summary>
    public static List<object?[]> ReadTuples(string sql, int position) => ReadTuples(sql, ref position);

    /// <summary>As <see cref="ReadTuples(string, int)"/>; moves past the list.</summary>
    public static List<object?[]> ReadTuples(string sql, ref int position)
    {
        var rows = new List<object?[]>();
        while (true)
        {
            SkipSpace(sql, ref position);
            if (position >= sql.Length || sql[position] != '(') throw new FormatException($"expected a VALUES tuple at {position}");
            position++;
            var row = new List<object?>();
            while (true)
            {
                SkipSpace(sql, ref position);
                var start = position;
                row.Add(Constant(sql, ref position));
                SkipSpace(sql, ref position);
                if (position < sql.Length && sql[position] == ',') { position++; continue; }
                if (position < sql.Length && sql[position] == ')') { position++; break; }
                throw new FormatException($"Invalid expression [{sql[start..Math.Min(sql.Length, start + 40)]}...] in VALUES clause");
            }
            if (rows.Count > 0 && row.Count != rows[0].Length) throw new FormatException("Insert value list does not match column list");
            rows.Add([.. row]);
            var after = position;
            SkipSpace(sql, ref after);
            if (after >= sql.Length || sql[after] != ',') return rows;
            position = after + 1;
        }
    }

    private static object? Constant(string sql, ref int position)
    {
        if (position >= sql.Length) throw new FormatException("unterminated VALUES tuple");
        var c = sql[position];
        if (c == '\'') return Read(sql, ref position);
        if (c == '?') { position++; return Binding; }
        var start = position;
        while (position < sql.Length && (char.IsLetterOrDigit(sql[position]) || sql[position] is '_' or '.' or '-' or '+')) position++;
        var word = sql[start..position];
        if (word.Equals("NULL", StringComparison.OrdinalIgnoreCase)) return null;
        if (word.Equals("TRUE", StringComparison.OrdinalIgnoreCase) || word.Equals("FALSE", StringComparison.OrdinalIgnoreCase)) return word.Length == 4;
        if (word.Length > 0 && decimal.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
        throw new FormatException($"Invalid expression [{sql[start..Math.Min(sql.Length, start + 40)]}...] in VALUES clause");
    }

    private static void SkipSpace(string sql, ref int position)
    {
        while (position < sql.Length && char.IsWhiteSpace(sql[position])) position++;
    }
}
