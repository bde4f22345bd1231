using System.Text;

namespace FakeSnowflake;

public enum TokenKind { Word, Quoted, String, Number, Symbol, Space, Values }

/// <summary>
/// One lexical token; <see cref="Value"/> is a string literal's or quoted name's decoded text, else the text. A VALUES
/// list of constants is one token holding its <see cref="Rows"/>: read at once, as it may hold 16,384 rows.
/// </summary>
public sealed record Token(TokenKind Kind, string Value, List<object?[]>? Rows = null)
{
    public bool Is(string text) => Kind is TokenKind.Word or TokenKind.Symbol && Value.Equals(text, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A literal VALUES list taken out of a statement, to be filled into a temporary table by the appender.</summary>
public sealed record ValuesList(string Table, List<object?[]> Rows);

/// <summary>One Snowflake statement in DuckDB's words: its SQL, the VALUES lists it reads, the bindings left for DuckDB.</summary>
public sealed record Translation(string Sql, List<ValuesList> Values, List<string?> Parameters);

/// <summary>
/// Snowflake SQL to DuckDB SQL, token by token: Snowflake's lexical rules (string literals with backslash
/// escapes, unquoted names folded to upper case, quoted ones kept), its types and functions mapped to DuckDB's,
/// and the semantics DuckDB lacks written out (division by zero is an error, keys are not enforced, VALUES holds
/// constants only). VALUES lists go through DuckDB's appender: its parser takes seconds over a 16,384-row list.
/// </summary>
public static class SnowflakeDialect
{
    /// <summary>Snowflake's types that DuckDB calls otherwise.</summary>
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["VARIANT"] = "JSON", ["TIMESTAMP_TZ"] = "TIMESTAMPTZ", ["TIMESTAMP_LTZ"] = "TIMESTAMPTZ", ["TIMESTAMP_NTZ"] = "TIMESTAMP",
        ["NUMBER"] = "DECIMAL", ["STRING"] = "VARCHAR",
    };

    /// <summary>Functions that take no arguments: DuckDB refuses their empty parentheses.</summary>
    private static readonly HashSet<string> Niladic = new(StringComparer.OrdinalIgnoreCase) { "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP" };

    /// <summary>The macros that give DuckDB the Snowflake functions the translation leaves in place.</summary>
    public static readonly string[] Macros =
    [
        "CREATE MACRO PARSE_JSON(x) AS json(x)", // json() refuses text that is not JSON, as PARSE_JSON does
        "CREATE MACRO TRY_PARSE_JSON(x) AS CASE WHEN json_valid(x) THEN json(x) END",
        "CREATE MACRO TO_VARIANT(x) AS to_json(x)",
        "CREATE MACRO IFF(c, a, b) AS CASE WHEN c THEN a ELSE b END",
        "CREATE MACRO DATEADD(part, n, t) AS t + CAST(n || ' ' || part AS INTERVAL)", // part arrives as a string: see Translate
        "CREATE MACRO SF_DIVIDE(a, b) AS CASE WHEN b = 0 THEN error('Division by zero') ELSE a / b END",
    ];

    public static List<Token> Tokenize(string sql)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i])) i++;
                tokens.Add(new Token(TokenKind.Space, " "));
            }
            else if (c == '-' && At(sql, i, "--") || c == '/' && At(sql, i, "//"))
            {
                while (i < sql.Length && sql[i] != '\n') i++;
                tokens.Add(new Token(TokenKind.Space, " "));
            }
            else if (c == '/' && At(sql, i, "/*"))
            {
                i = sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end and >= 0 ? end + 2 : throw new FormatException("unterminated comment");
                tokens.Add(new Token(TokenKind.Space, " "));
            }
            else if (c == '\'') tokens.Add(new Token(TokenKind.String, SnowflakeLiteral.Read(sql, ref i)));
            else if (c == '$' && At(sql, i, "$$"))
            {
                var end = sql.IndexOf("$$", i + 2, StringComparison.Ordinal);
                if (end < 0) throw new FormatException("unterminated $$ string");
                tokens.Add(new Token(TokenKind.String, sql[(i + 2)..end]));
                i = end + 2;
            }
            else if (c == '"')
            {
                var name = new StringBuilder();
                for (i++; ; i++)
                {
                    if (i >= sql.Length) throw new FormatException("unterminated quoted name");
                    if (sql[i] != '"') name.Append(sql[i]);
                    else if (At(sql, i, "\"\"")) { name.Append('"'); i++; }
                    else break;
                }
                i++;
                tokens.Add(new Token(TokenKind.Quoted, name.ToString()));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$')) i++;
                tokens.Add(new Token(TokenKind.Word, sql[start..i]));
                var open = i;
                while (open < sql.Length && char.IsWhiteSpace(sql[open])) open++;
                if (tokens[^1].Is("VALUES") && open < sql.Length && sql[open] == '(')
                {
                    tokens[^1] = new Token(TokenKind.Values, "VALUES", SnowflakeLiteral.ReadTuples(sql, ref i));
                }
            }
            else if (char.IsDigit(c) || c == '.' && i + 1 < sql.Length && char.IsDigit(sql[i + 1]))
            {
                while (i < sql.Length && (char.IsDigit(sql[i]) || sql[i] == '.' || (sql[i] is 'e' or 'E' && i + 1 < sql.Length && (char.IsDigit(sql[i + 1]) || sql[i + 1] is '-' or '+')))) i += sql[i] is 'e' or 'E' ? 2 : 1;
                tokens.Add(new Token(TokenKind.Number, sql[start..i]));
            }
            else
            {
                i += At(sql, i, "::") || At(sql, i, "||") || At(sql, i, "<=") || At(sql, i, ">=") || At(sql, i, "<>") || At(sql, i, "!=") ? 2 : 1;
                tokens.Add(new Token(TokenKind.Symbol, sql[start..i]));
            }
        }
        return tokens;
    }

    /// <summary>A request's statements, split at semicolons outside literals and comments; empty ones dropped.</summary>
    public static List<List<Token>> Statements(string request)
    {
        var statements = new List<List<Token>> { new() };
        foreach (var token in Tokenize(request))
            if (token.Is(";")) statements.Add([]);
            else statements[^1].Add(token);
        return [.. statements.Select(Trim).Where(s => s.Count > 0)];
    }

    private static List<Token> Trim(List<Token> tokens) => [.. tokens.SkipWhile(t => t.Kind == TokenKind.Space).Reverse().SkipWhile(t => t.Kind == TokenKind.Space).Reverse()];

    /// <summary>The first word, upper case: what kind of statement this is.</summary>
    public static string Verb(List<Token> statement) => statement.FirstOrDefault(t => t.Kind == TokenKind.Word)?.Value.ToUpperInvariant() ?? "";

    /// <summary>The statement as a short, normalised line: for matching handlers and for messages.</summary>
    public static string Text(List<Token> statement) => Render(statement.Select(t => t.Kind == TokenKind.Word ? t with { Value = t.Value.ToUpperInvariant() } : t).ToList());

    /// <param name="bindings">Values for the <c>?</c> placeholders, in order.</param>
    /// <param name="valuesTable">Names a temporary table for a VALUES list.</param>
    public static Translation Translate(List<Token> statement, IReadOnlyList<string?> bindings, Func<string> valuesTable)
    {
        var output = new List<Token>();
        var values = new List<ValuesList>();
        var parameters = new List<string?>();
        var bound = 0;
        for (var i = 0; i < statement.Count; i++)
        {
            var token = statement[i];
            if (token.Is("?"))
            {
                parameters.Add(Bound(bindings, ref bound));
                output.Add(token);
                continue;
            }
            if (token.Kind == TokenKind.Values)
            {
                // INSERT ... VALUES (...) and FROM VALUES (...): the constants go to a temporary table, the bindings in their place.
                var rows = token.Rows!.Select(r => r.Select(v => v == SnowflakeLiteral.Binding ? Bound(bindings, ref bound) : v).ToArray()).ToList();
                var table = valuesTable();
                values.Add(new ValuesList(table, rows));
                output.Add(new Token(TokenKind.Word, LastSignificant(output)?.Is("FROM") == true ? table : $"SELECT * FROM {table}"));
                continue;
            }
            if (token.Kind != TokenKind.Word)
            {
                output.Add(token);
                continue;
            }
            var word = token.Value.ToUpperInvariant();
            var next = NextSignificant(statement, i);
            if (word == "TRANSIENT" && LastSignificant(output)?.Is("CREATE") == true) { DropSpace(output); continue; }
            if (word is "PRIMARY" or "UNIQUE" && (next >= 0 && statement[next].Is("KEY") || word == "UNIQUE"))
            {
                // Snowflake records keys but enforces none (RAW keeps duplicate keys): DuckDB must not enforce them either.
                i = word == "PRIMARY" ? next : i;
                var after = NextSignificant(statement, i);
                if (after >= 0 && statement[after].Is("(")) i = Matching(statement, after);
                DropSpace(output);
                if (LastSignificant(output)?.Is(",") == true && (NextSignificant(statement, i) is var n && (n < 0 || statement[n].Is(")"))))
                {
                    output.RemoveAt(output.Count - 1);
                    DropSpace(output);
                }
                continue;
            }
            if (Niladic.Contains(word) && next >= 0 && statement[next].Is("(") && NextSignificant(statement, next) is var close && close >= 0 && statement[close].Is(")"))
            {
                output.Add(token with { Value = word });
                i = close;
                continue;
            }
            if (word is "DATEADD" or "TIMEADD" or "TIMESTAMPADD" && next >= 0 && statement[next].Is("(") && NextSignificant(statement, next) is var part and >= 0 && statement[part].Kind == TokenKind.Word)
            {
                output.AddRange([new Token(TokenKind.Word, "DATEADD"), new Token(TokenKind.Symbol, "("), new Token(TokenKind.String, statement[part].Value.ToLowerInvariant())]);
                i = part;
                continue;
            }
            output.Add(token with { Value = Types.TryGetValue(word, out var type) && !(next >= 0 && statement[next].Is(".")) ? Type(type, statement, next) : word });
        }
        DivisionsChecked(output);
        return new Translation(Render(output), values, parameters);
    }

    /// <summary>NUMBER without precision is NUMBER(38, 0).</summary>
    private static string Type(string type, List<Token> statement, int next) =>
        type == "DECIMAL" && !(next >= 0 && statement[next].Is("(")) ? "DECIMAL(38, 0)" : type;

    private static string? Bound(IReadOnlyList<string?> bindings, ref int bound) =>
        bound < bindings.Count ? bindings[bound++] : throw new SnowflakeError("002049", "42601", "SQL compilation error: bind variable ? not set.");

    /// <summary>
    /// Snowflake stops at a division by zero; DuckDB answers infinity. Every <c>a / b</c> becomes <c>SF_DIVIDE(a, b)</c>,
    /// taking the operands as the primaries either side (a name, a literal, a call or a parenthesised expression).
    /// </summary>
    private static void DivisionsChecked(List<Token> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].Is("/")) continue;
            var leftEnd = i - 1;
            while (leftEnd >= 0 && tokens[leftEnd].Kind == TokenKind.Space) leftEnd--;
            var leftStart = leftEnd;
            if (leftStart >= 0 && tokens[leftStart].Is(")"))
            {
                for (var depth = 0; ; leftStart--)
                {
                    depth += tokens[leftStart].Is(")") ? 1 : tokens[leftStart].Is("(") ? -1 : 0;
                    if (depth == 0) break;
                }
                if (leftStart > 0 && tokens[leftStart - 1].Kind == TokenKind.Word) leftStart--;
            }
            while (leftStart >= 2 && tokens[leftStart - 1].Is(".")) leftStart -= 2;
            var rightStart = NextSignificant(tokens, i);
            if (leftStart < 0 || rightStart < 0) continue;
            var rightEnd = rightStart;
            if (tokens[rightEnd].Is("-") || tokens[rightEnd].Is("+")) rightEnd = NextSignificant(tokens, rightEnd);
            while (rightEnd + 2 < tokens.Count && tokens[rightEnd + 1].Is(".")) rightEnd += 2;
            if (NextSignificant(tokens, rightEnd) is var call and >= 0 && tokens[call].Is("(") && tokens[rightEnd].Kind == TokenKind.Word) rightEnd = call;
            if (tokens[rightEnd].Is("(")) rightEnd = Matching(tokens, rightEnd);
            List<Token> call2 =
            [
                new(TokenKind.Word, "SF_DIVIDE"), new(TokenKind.Symbol, "("), .. tokens[leftStart..(leftEnd + 1)], new(TokenKind.Symbol, ","),
                new(TokenKind.Space, " "), .. tokens[rightStart..(rightEnd + 1)], new(TokenKind.Symbol, ")"),
            ];
            tokens.RemoveRange(leftStart, rightEnd + 1 - leftStart);
            tokens.InsertRange(leftStart, call2);
            i = leftStart;
        }
    }

    private static int Matching(List<Token> tokens, int open)
    {
        for (int i = open, depth = 0; i < tokens.Count; i++)
        {
            depth += tokens[i].Is("(") ? 1 : tokens[i].Is(")") ? -1 : 0;
            if (depth == 0) return i;
        }
        throw new SnowflakeError("001003", "42000", "SQL compilation error:\nsyntax error: unbalanced parentheses");
    }

    private static int NextSignificant(List<Token> tokens, int i)
    {
        for (i++; i < tokens.Count; i++) if (tokens[i].Kind != TokenKind.Space) return i;
        return -1;
    }

    private static Token? LastSignificant(List<Token> tokens) => tokens.LastOrDefault(t => t.Kind != TokenKind.Space);

    private static void DropSpace(List<Token> tokens)
    {
        while (tokens.Count > 0 && tokens[^1].Kind == TokenKind.Space) tokens.RemoveAt(tokens.Count - 1);
    }

    /// <summary>DuckDB's spelling: standard string literals (no backslash escapes), double-quoted names.</summary>
    private static string Render(List<Token> tokens)
    {
        var sql = new StringBuilder();
        foreach (var token in tokens)
            sql.Append(token.Kind switch
            {
                TokenKind.String => "'" + token.Value.Replace("'", "''", StringComparison.Ordinal) + "'",
                TokenKind.Quoted => "\"" + token.Value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
                _ => token.Value,
            });
        return sql.ToString();
    }

    private static bool At(string sql, int i, string text) => string.CompareOrdinal(sql, i, text, 0, text.Length) == 0;
}

/// <summary>An error as Snowflake reports it: its code, SQL state and message (HTTP 422).</summary>
public sealed class SnowflakeError(string code, string sqlState, string message) : Exception(message)
{
    public string Code { get; } = code;
    public string SqlState { get; } = sqlState;
}
