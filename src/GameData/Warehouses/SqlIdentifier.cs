using System.Text.RegularExpressions;
using GameData.Settings;

namespace GameData.Warehouses;

/// <summary>
/// Schema names as every warehouse will take them unquoted: letters, digits and underscores, not a reserved
/// word, folded to the case the warehouse stores unquoted names in (lower for PostgreSQL and DuckDB, upper
/// for Snowflake), so that <c>Student01</c> names the same schema in our SQL, DbUp's and a dbt profile's.
/// </summary>
public static partial class SqlIdentifier
{
    /// <summary>
    /// Reserved words of PostgreSQL (its "reserved" and "reserved, can be function or type" keywords), DuckDB
    /// (the same grammar) and Snowflake: none of them can name a schema unquoted in all three.
    /// </summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "account", "all", "alter", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
        "between", "binary", "both", "by", "case", "cast", "check", "collate", "collation", "column", "concurrently",
        "connect", "connection", "constraint", "create", "cross", "current", "current_catalog", "current_date",
        "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "database", "default",
        "deferrable", "delete", "desc", "distinct", "do", "drop", "else", "end", "except", "exists", "false", "fetch",
        "following", "for", "foreign", "freeze", "from", "full", "grant", "group", "gscluster", "having", "ilike", "in",
        "increment", "initially", "inner", "insert", "intersect", "into", "is", "isnull", "issue", "join", "lateral",
        "leading", "left", "like", "limit", "localtime", "localtimestamp", "minus", "natural", "not", "notnull", "null",
        "of", "offset", "on", "only", "or", "order", "organization", "outer", "overlaps", "placing", "primary",
        "qualify", "references", "regexp", "returning", "revoke", "right", "rlike", "row", "rows", "sample", "schema",
        "select", "session_user", "set", "similar", "some", "start", "symmetric", "system_user", "table", "tablesample",
        "then", "to", "trailing", "trigger", "true", "try_cast", "union", "unique", "update", "user", "using", "values",
        "variadic", "verbose", "view", "when", "whenever", "where", "window", "with",
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Plain();

    /// <summary>
    /// The name as <paramref name="warehouse"/> stores it, or <see cref="SettingsException"/> saying why it cannot be one.
    /// </summary>
    /// <param name="describe">How the user gave it, for the message, e.g. <c>--schema 'select'</c>.</param>
    public static string Schema(string name, IWarehouseProvider warehouse, string describe)
    {
        if (!Plain().IsMatch(name))
            throw new SettingsException($"{describe} is not a plain SQL identifier (a letter or _, then letters, digits or _; at most 63)");
        if (Reserved.Contains(name))
            throw new SettingsException($"{describe} is a reserved SQL word; choose another name (e.g. {name.ToLowerInvariant()}_raw)");
        if (name.StartsWith("pg_", StringComparison.OrdinalIgnoreCase)
            || name.Equals("information_schema", StringComparison.OrdinalIgnoreCase))
            throw new SettingsException($"{describe} is reserved for the database's own catalog; choose another name");
        return warehouse.Fold(name);
    }
}
