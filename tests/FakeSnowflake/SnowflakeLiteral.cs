using System.Globalization;
using System.Text;

namespace FakeSnowflake;

/// <summary>
/// Reads SQL the way Snowflake does where the loader depends on it: single-quoted string literals with
/// both <c>''</c> and backslash escapes, and the tuples of a VALUES list. Written from Snowflake's
/// documented rules, independently of the client's encoder, so round trips test something.
/// </summary>
public static class SnowflakeLiteral
{
    /// <summary>Decodes the literal starting at <paramref name="position"/> (on its opening quote); moves past it.</summary>
    public static string Read(string sql, ref int position)
    {
        if (sql[position] != '\'') throw new FormatException($"expected a string literal at {position}");
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

    /// <summary>The rows of <c>VALUES (...), (...)</c> starting at <paramref name="position"/>; NULL becomes null.</summary>
    public static List<string?[]> ReadTuples(string sql, int position)
    {
        var rows = new List<string?[]>();
        while (position < sql.Length)
        {
            SkipSpace(sql, ref position);
            if (position >= sql.Length || sql[position] != '(') break;
            position++;
            var row = new List<string?>();
            while (true)
            {
                SkipSpace(sql, ref position);
                if (sql[position] == '\'') row.Add(Read(sql, ref position));
                else if (string.Compare(sql, position, "NULL", 0, 4, StringComparison.OrdinalIgnoreCase) == 0) { row.Add(null); position += 4; }
                else
                {
                    var start = position;
                    while (sql[position] != ',' && sql[position] != ')') position++;
                    row.Add(sql[start..position].Trim());
                }
                SkipSpace(sql, ref position);
                if (sql[position] == ',') { position++; continue; }
                if (sql[position] == ')') { position++; break; }
                throw new FormatException($"unexpected '{sql[position]}' in a VALUES tuple");
            }
            rows.Add([.. row]);
            SkipSpace(sql, ref position);
            if (position < sql.Length && sql[position] == ',') position++;
        }
        return rows;
    }

    private static void SkipSpace(string sql, ref int position)
    {
        while (position < sql.Length && char.IsWhiteSpace(sql[position])) position++;
    }
}
