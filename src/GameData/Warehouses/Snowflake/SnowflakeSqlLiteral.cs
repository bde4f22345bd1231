using System.Text;

namespace GameData.Warehouses.Snowflake;

/// <summary>
/// Single-quoted Snowflake string literals. Both the quote and the backslash have meaning inside them
/// (<c>''</c>, and escapes such as <c>\n</c> or <c>\x41</c>), so every backslash is doubled and every quote
/// doubled: any text, quotes, backslashes, <c>$$</c>, line breaks or Unicode, arrives unchanged.
/// </summary>
public static class SnowflakeSqlLiteral
{
    public static string Quote(string? value) => value is null ? "NULL" : Append(new StringBuilder(value.Length + 2), value).ToString();

    public static StringBuilder Append(StringBuilder sql, string value)
    {
        sql.Append('\'');
        foreach (var c in value)
        {
            if (c == '\\') sql.Append("\\\\");
            else if (c == '\'') sql.Append("''");
            else sql.Append(c);
        }
        return sql.Append('\'');
    }
}
