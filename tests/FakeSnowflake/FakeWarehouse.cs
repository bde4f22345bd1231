using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace FakeSnowflake;

/// <summary>The outcome of one request: rows to return, rows inserted or updated, or a Snowflake error (HTTP 422).</summary>
public sealed record StatementOutcome(string[] Columns, List<string?[]> Rows, long RowsInserted = 0, SnowflakeError? Error = null, long RowsUpdated = 0);

/// <summary>
/// The tables behind the SQL API: an in-memory DuckDB database, one DuckDB schema per Snowflake schema. Each
/// statement is translated by <see cref="SnowflakeDialect"/> and run; the few with no DuckDB meaning (CLONE, SWAP)
/// have handlers below. A request runs on a connection of its own, as a Snowflake session: BEGIN ... COMMIT holds
/// a real DuckDB transaction (snapshot isolation; concurrent appends are not checked against each other, like
/// Snowflake's, which enforces no key), one left open at the end is rolled back, and statements before a failing
/// one stay done. Statements are run one at a time, so two autocommit UPDATEs of a row wait for each other, as
/// Snowflake's lock makes them.
/// </summary>
public sealed class FakeWarehouse : IDisposable
{
    private readonly DuckDBConnection _database = new("Data Source=:memory:");
    private readonly ConcurrentBag<DuckDBConnection> _idle = [];
    private readonly Lock _gate = new();
    private int _valuesTables;

    /// <summary>The statements with no DuckDB meaning, by their normalised text.</summary>
    private static readonly (Regex Pattern, Action<DuckDBConnection, Match> Run)[] Handlers =
    [
        (Statement(@"CREATE (?:OR REPLACE )?SCHEMA (\S+) CLONE (\S+)"), (c, m) => CloneSchema(c, Name(m.Groups[2].Value), Name(m.Groups[1].Value))),
        (Statement(@"CREATE (OR REPLACE )?TABLE (\S+) CLONE (\S+)"), (c, m) => CloneTable(c, m.Groups[3].Value, m.Groups[2].Value, m.Groups[1].Success)),
        (Statement(@"ALTER SCHEMA (\S+) SWAP WITH (\S+)"), (c, m) => SwapSchemas(c, Name(m.Groups[1].Value), Name(m.Groups[2].Value))),
    ];

    private static Regex Statement(string pattern) => new($"^{pattern}$", RegexOptions.CultureInvariant);

    public FakeWarehouse()
    {
        _database.Open();
        // As gamedata's own DuckDB: the thread count the test suite sets for its runs, else DuckDB's default.
        if (Environment.GetEnvironmentVariable("GAME_DUCKDB_THREADS") is { Length: > 0 } threads)
            Run(_database, $"SET threads = {int.Parse(threads, CultureInfo.InvariantCulture)}");
        foreach (var macro in SnowflakeDialect.Macros) Run(_database, macro);
    }

    /// <summary>Called before a COMMIT runs, outside any lock: lets a test hold a transaction until something happens.</summary>
    public Action? BeforeCommit { get; set; }

    /// <summary>Runs a request as the SQL API does.</summary>
    /// <param name="multiStatement">Whether the request set MULTI_STATEMENT_COUNT to 0 (any number).</param>
    /// <param name="schema">The request's schema, for names it does not qualify.</param>
    public StatementOutcome Execute(string request, IReadOnlyList<string?> bindings, bool multiStatement, string schema = "RAW") =>
        Execute(request, bindings, multiStatement ? 0 : null, schema);

    /// <param name="statementCount">MULTI_STATEMENT_COUNT: null is one statement, 0 any number.</param>
    public StatementOutcome Execute(string request, IReadOnlyList<string?> bindings, int? statementCount, string schema = "RAW")
    {
        var connection = Rent();
        var inTransaction = false;
        try
        {
            var statements = SnowflakeDialect.Statements(request);
            if (statements.Count != (statementCount ?? 1) && statementCount != 0)
                throw new SnowflakeError("000008", "0A000", $"Actual statement count {statements.Count} did not match the desired statement count {statementCount ?? 1}.");
            if (statementCount is not null && bindings.Count > 0)
                throw new SnowflakeError("000008", "0A000", "Bind variables are not supported in a multi-statement request.");
            lock (_gate) UseSchema(connection, schema);
            StatementOutcome last = new([], []);
            foreach (var statement in statements)
            {
                var verb = SnowflakeDialect.Verb(statement);
                if (verb == "COMMIT") BeforeCommit?.Invoke();
                last = Run(connection, statement, bindings);
                inTransaction = verb is "BEGIN" or "START" || inTransaction && verb is not ("COMMIT" or "ROLLBACK");
            }
            return statements.Count > 1 ? new StatementOutcome(["multiple statement execution"], [["Multiple statements executed successfully."]], last.RowsInserted) : last;
        }
        catch (SnowflakeError e)
        {
            return new StatementOutcome([], [], Error: e);
        }
        catch (Exception e) when (e is DuckDBException or FormatException)
        {
            return new StatementOutcome([], [], Error: Snowflakes(e));
        }
        finally
        {
            // The session ends with the request: an open transaction goes with it.
            if (inTransaction)
                lock (_gate)
                    try { Run(connection, "ROLLBACK"); }
                    catch (DuckDBException) { /* DuckDB already ended it */ }
            _idle.Add(connection);
        }
    }

    private StatementOutcome Run(DuckDBConnection connection, List<Token> statement, IReadOnlyList<string?> bindings)
    {
        var verb = SnowflakeDialect.Verb(statement);
        if (verb is "CREATE" or "ALTER")
        {
            var text = SnowflakeDialect.Text(statement);
            foreach (var (pattern, handle) in Handlers)
                if (pattern.Match(text) is { Success: true } match)
                {
                    lock (_gate) handle(connection, match);
                    return Status();
                }
        }
        var translation = SnowflakeDialect.Translate(statement, bindings, () => $"VALUES_{Interlocked.Increment(ref _valuesTables)}");
        lock (_gate)
        {
            try
            {
                foreach (var values in translation.Values) Fill(connection, values);
                using var command = connection.CreateCommand();
                command.CommandText = translation.Sql;
                foreach (var parameter in translation.Parameters) command.Parameters.Add(new DuckDBParameter((object?)parameter ?? DBNull.Value));
                switch (verb)
                {
                    case "INSERT" or "MERGE":
                        var inserted = command.ExecuteNonQuery();
                        return new StatementOutcome(["number of rows inserted"], [[Text(inserted)]], inserted);
                    case "UPDATE":
                        var updated = command.ExecuteNonQuery();
                        return new StatementOutcome(["number of rows updated", "number of multi-joined rows updated"], [[Text(updated), "0"]], RowsUpdated: updated);
                    case "DELETE":
                        return new StatementOutcome(["number of rows deleted"], [[Text(command.ExecuteNonQuery())]]);
                    case "SELECT" or "WITH":
                        return Read(command);
                    default:
                        command.ExecuteNonQuery();
                        return Status();
                }
            }
            finally
            {
                foreach (var values in translation.Values) Run(connection, $"DROP TABLE IF EXISTS temp.{values.Table}");
            }
        }
    }

    /// <summary>A VALUES list as a temporary table, through the appender; columns typed from their constants.</summary>
    private static void Fill(DuckDBConnection connection, ValuesList values)
    {
        var width = values.Rows.FirstOrDefault()?.Length ?? 0;
        string TypeOf(int column)
        {
            var given = values.Rows.Select(r => r[column]).Where(v => v is not null).ToList();
            return given.Count > 0 && given.All(v => v is decimal) ? "DECIMAL(38, 9)" : given.Count > 0 && given.All(v => v is bool) ? "BOOLEAN" : "VARCHAR";
        }
        var types = Enumerable.Range(0, width).Select(TypeOf).ToArray();
        Run(connection, $"CREATE TEMP TABLE {values.Table} ({string.Join(", ", types.Select((t, i) => $"COLUMN{i + 1} {t}"))})");
        using var appender = connection.CreateAppender("temp", "main", values.Table);
        foreach (var row in values.Rows)
        {
            var line = appender.CreateRow();
            for (var i = 0; i < width; i++)
                line = row[i] switch
                {
                    null => line.AppendNullValue(),
                    decimal number => types[i] == "VARCHAR" ? line.AppendValue(Text(number)) : line.AppendValue(number),
                    bool flag => types[i] == "VARCHAR" ? line.AppendValue(Text(flag)) : line.AppendValue(flag),
                    var text => line.AppendValue((string)text),
                };
            line.EndRow();
        }
    }

    private static StatementOutcome Read(DuckDBCommand command)
    {
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i).ToUpperInvariant()).ToArray();
        var rows = new List<string?[]>();
        while (reader.Read()) rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Text(reader.GetValue(i)))]);
        return new StatementOutcome(columns, rows);
    }

    private static void CloneSchema(DuckDBConnection connection, string from, string to)
    {
        RequireSchema(connection, from);
        Run(connection, $"CREATE SCHEMA {Quote(to)}");
        foreach (var table in Tables(connection, from)) Copy(connection, from, table, to, table);
    }

    private static void CloneTable(DuckDBConnection connection, string from, string to, bool replace)
    {
        var (source, target) = (Qualified(connection, from), Qualified(connection, to));
        if (replace) Run(connection, $"DROP TABLE IF EXISTS {Quote(target.Schema)}.{Quote(target.Table)}");
        Copy(connection, source.Schema, source.Table, target.Schema, target.Table);
    }

    /// <summary>DuckDB cannot move a table to another schema: the tables are copied across through a third schema.</summary>
    private static void SwapSchemas(DuckDBConnection connection, string a, string b)
    {
        RequireSchema(connection, a);
        RequireSchema(connection, b);
        var swap = $"SWAP_{Guid.NewGuid():N}";
        Run(connection, $"CREATE SCHEMA {Quote(swap)}");
        foreach (var (from, to) in new[] { (a, swap), (b, a), (swap, b) })
            foreach (var table in Tables(connection, from))
            {
                Copy(connection, from, table, to, table);
                Run(connection, $"DROP TABLE {Quote(from)}.{Quote(table)}");
            }
        Run(connection, $"DROP SCHEMA {Quote(swap)}");
    }

    private static void RequireSchema(DuckDBConnection connection, string schema)
    {
        if (Scalar(connection, $"SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() AND schema_name = '{schema}'") == "0")
            throw new SnowflakeError("002003", "02000", $"SQL compilation error:\nSchema '{schema}' does not exist or not authorized.");
    }

    /// <summary>A table copied with its definition (types, NOT NULL) and rows.</summary>
    private static void Copy(DuckDBConnection connection, string schema, string table, string toSchema, string toTable)
    {
        var definition = Scalar(connection, $"SELECT sql FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = '{schema}' AND table_name = '{table}'")
            ?? throw new SnowflakeError("002003", "42S02", $"SQL compilation error:\nTable '{schema}.{table}' does not exist or not authorized.");
        Run(connection, $"CREATE TABLE {Quote(toSchema)}.{Quote(toTable)} {definition[definition.IndexOf('(', StringComparison.Ordinal)..].TrimEnd(';')}");
        Run(connection, $"INSERT INTO {Quote(toSchema)}.{Quote(toTable)} SELECT * FROM {Quote(schema)}.{Quote(table)}");
    }

    private static List<string> Tables(DuckDBConnection connection, string schema) =>
        [.. Query(connection, $"SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = '{schema}' ORDER BY table_name").Select(r => r[0]!)];

    /// <summary>SCHEMA.TABLE as Snowflake resolves it: unquoted parts in upper case, the session's schema if none, a database ignored.</summary>
    private static (string Schema, string Table) Qualified(DuckDBConnection connection, string name)
    {
        var parts = Regex.Matches(name, "\"(?:[^\"]|\"\")*\"|[^.]+").Select(m => Name(m.Value)).ToArray();
        return parts.Length == 1 ? (Scalar(connection, "SELECT current_schema()")!, parts[0]) : (parts[^2], parts[^1]);
    }

    private static string Name(string part) => part.StartsWith('"') ? part[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : part.ToUpperInvariant();

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The request's schema for unqualified names; one that does not exist leaves them unresolved, as in Snowflake.</summary>
    private static void UseSchema(DuckDBConnection connection, string schema)
    {
        try { Run(connection, $"SET schema = '{schema.Replace("'", "''", StringComparison.Ordinal)}'"); }
        catch (DuckDBException) { Run(connection, "SET schema = 'main'"); }
    }

    /// <summary>DuckDB's error in Snowflake's words: the code and SQL state Snowflake gives the same failure.</summary>
    private static SnowflakeError Snowflakes(Exception e)
    {
        var message = e.Message;
        return message switch
        {
            _ when message.Contains("Division by zero", StringComparison.Ordinal) => new("100051", "22012", "Division by zero"),
            _ when message.Contains("Malformed JSON", StringComparison.Ordinal) => new("100069", "22P02", $"Error parsing JSON: {message}"),
            _ when message.Contains("NOT NULL constraint", StringComparison.Ordinal) => new("100072", "22000", $"NULL result in a non-nullable column: {message}"),
            _ when message.StartsWith("Catalog Error", StringComparison.Ordinal) => new("002003", "42S02", $"SQL compilation error:\n{message}"),
            _ when message.StartsWith("Parser Error", StringComparison.Ordinal) || e is FormatException => new("001003", "42000", $"SQL compilation error:\n{message}"),
            _ when message.StartsWith("Binder Error", StringComparison.Ordinal) => new("000904", "42000", $"SQL compilation error:\n{message}"),
            _ => new("100000", "XX000", message),
        };
    }

    private DuckDBConnection Rent()
    {
        if (_idle.TryTake(out var connection)) return connection;
        lock (_gate) connection = _database.Duplicate();
        connection.Open();
        return connection;
    }

    private static void Run(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? Scalar(DuckDBConnection connection, string sql) => Query(connection, sql).FirstOrDefault()?[0];

    private static List<string?[]> Query(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Read(command).Rows;
    }

    private static StatementOutcome Status() => new(["status"], [["Statement executed successfully."]]);

    /// <summary>A value as the SQL API sends it: text, timestamps in ISO form.</summary>
    private static string Text(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("yyyy-MM-dd HH:mm:ss.ffffff zzz", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// Rows a Snowpipe Streaming channel committed (NDJSON), inserted into a table by column name as a default pipe does:
    /// keys that name no column are ignored, a missing key is null, JSON values go into VARIANT columns as JSON. DuckDB
    /// reads the lines itself, and inflates them when they are <paramref name="gzip"/> (a file an eighth the size, and no
    /// copy of the rows inflated in memory); a line that does not parse is skipped. Returns the rows inserted.
    /// </summary>
    public long InsertStreamed(string schema, string table, byte[] ndjson, bool gzip)
    {
        if (ndjson.Length == 0) return 0;
        var file = Path.Combine(Path.GetTempPath(), $"fake-snowflake-{Guid.NewGuid():N}.ndjson{(gzip ? ".gz" : "")}");
        File.WriteAllBytes(file, ndjson);
        var connection = Rent();
        try
        {
            // Outside the statement lock: channels commit side by side, as DuckDB's appends to one table may.
            var columns = Query(connection, "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() " +
                                            $"AND schema_name = '{schema}' AND table_name = '{table}' ORDER BY column_index");
            if (columns.Count == 0) throw new SnowflakeError("002003", "42S02", $"Table '{schema}.{table}' does not exist or not authorized.");
            var types = string.Join(", ", columns.Select(c => $"'{c[0]}': '{(c[1] == "JSON" ? "JSON" : "VARCHAR")}'"));
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO {Quote(schema)}.{Quote(table)} SELECT * FROM read_json('{file}', " +
                                  $"format = 'newline_delimited', compression = '{(gzip ? "gzip" : "uncompressed")}', columns = {{{types}}}, ignore_errors = true)";
            return command.ExecuteNonQuery();
        }
        finally
        {
            _idle.Add(connection);
            File.Delete(file);
        }
    }

    // What the tests inspect, straight from DuckDB.

    /// <summary>Runs DuckDB SQL (not Snowflake's) and returns its rows as text.</summary>
    public List<string?[]> Query(string sql)
    {
        lock (_gate) return Query(_database, sql);
    }

    /// <summary>A table's rows, or null when there is no such table. A name without schema is in RAW.</summary>
    public List<string?[]>? Table(string name)
    {
        var parts = name.Split('.');
        var (schema, table) = parts.Length == 1 ? ("RAW", Name(parts[0])) : (Name(parts[^2]), Name(parts[^1]));
        lock (_gate)
            return Tables(_database, schema).Contains(table) ? Query(_database, $"SELECT * FROM {Quote(schema)}.{Quote(table)}") : null;
    }

    /// <summary>The tables of one schema, without the schema.</summary>
    public IReadOnlyList<string> TableNames(string schema = "RAW")
    {
        lock (_gate) return Tables(_database, schema.ToUpperInvariant());
    }

    public IReadOnlyList<string> Schemas() =>
        [.. Query("SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND schema_name <> 'main' AND NOT internal").Select(r => r[0]!)];

    public void Dispose()
    {
        while (_idle.TryTake(out var connection)) connection.Dispose();
        _database.Dispose();
    }
}
