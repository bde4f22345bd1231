using System.Globalization;
using System.Text.RegularExpressions;

namespace FakeSnowflake;

/// <summary>The outcome of one statement: rows to return, rows inserted or updated, or a SQL error (HTTP 422).</summary>
public sealed record StatementOutcome(string[] Columns, List<string?[]> Rows, long RowsInserted = 0, string? Error = null, long RowsUpdated = 0);

/// <summary>
/// An in-memory stand-in for the tables behind the SQL API, understanding exactly the statements the
/// platform sends (DDL, chunked INSERT ... FROM VALUES, the move into RAW, the ledger, the journal, the lock,
/// CLONE and SWAP), by schema. A request is applied all or nothing. A BEGIN ... COMMIT request runs as
/// Snowflake runs concurrent transactions: its statements read a snapshot taken when it begins, and at the
/// end its rows are merged in, nothing checking them against what another transaction committed meanwhile
/// (Snowflake enforces no primary key). Two overlapping loads can therefore interleave, unless they take turns.
/// </summary>
public sealed class FakeWarehouse
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.Singleline;
    private State _state = new([], []);
    private readonly Lock _gate = new();

    /// <summary>How long a BEGIN ... COMMIT request works on its snapshot before it commits, so that requests overlap.</summary>
    public TimeSpan TransactionTime { get; set; } = TimeSpan.FromMilliseconds(50);

    public sealed class FakeTable(string[] columns)
    {
        public string[] Columns { get; } = columns;
        public List<string?[]> Rows { get; init; } = [];
        public FakeTable Copy() => new(Columns) { Rows = [.. Rows] };
    }

    /// <summary>Tables by SCHEMA.TABLE, and the schemas that exist.</summary>
    private sealed record State(Dictionary<string, FakeTable> Tables, HashSet<string> Schemas)
    {
        public State Copy() => new(Tables.ToDictionary(t => t.Key, t => t.Value.Copy()), [.. Schemas]);
    }

    /// <summary>A copy of a table's rows, or null when there is no such table. A name without schema is in RAW.</summary>
    public List<string?[]>? Table(string name)
    {
        lock (_gate) return _state.Tables.TryGetValue(Qualified(name, "RAW"), out var table) ? [.. table.Rows] : null;
    }

    /// <summary>The tables of one schema, without the schema.</summary>
    public IReadOnlyList<string> TableNames(string schema = "RAW")
    {
        lock (_gate) return [.. _state.Tables.Keys.Where(k => k.StartsWith(schema.ToUpperInvariant() + ".", StringComparison.Ordinal)).Select(k => k.Split('.')[1])];
    }

    public IReadOnlyList<string> Schemas()
    {
        lock (_gate) return [.. _state.Schemas];
    }

    /// <summary>Runs a request's statements; if any fails, none of them takes effect.</summary>
    /// <param name="multiStatement">Whether the request set MULTI_STATEMENT_COUNT; only then is it split at semicolons.</param>
    /// <param name="schema">The request's schema, for names it does not qualify.</param>
    public StatementOutcome Execute(string request, IReadOnlyList<string?> bindings, bool multiStatement, string schema = "RAW")
    {
        var statements = (multiStatement ? Regex.Split(request, @";\s*(?:\n|$)") : [request.TrimEnd().TrimEnd(';')])
            .Select(s => StripComments(s).Trim()).Where(s => s.Length > 0).ToList();
        if (statements.Count > 1 && !multiStatement) return Error("Actual statement count 2 did not match the desired statement count 1.");
        var transaction = statements.Count > 1 && statements[0].StartsWith("BEGIN", StringComparison.OrdinalIgnoreCase);

        State snapshot, working;
        lock (_gate)
        {
            snapshot = _state;
            working = _state.Copy();
            if (!transaction) return Apply(statements, working, bindings, schema, () => _state = working);
        }
        var outcome = Apply(statements, working, bindings, schema, () => { });
        if (outcome.Error is not null) return outcome;
        Thread.Sleep(TransactionTime);
        lock (_gate) _state = Merged(_state, snapshot, working);
        return outcome;
    }

    private static StatementOutcome Apply(List<string> statements, State working, IReadOnlyList<string?> bindings, string schema, Action commit)
    {
        StatementOutcome last = new([], []);
        foreach (var statement in statements)
        {
            last = Run(working, statement, bindings, schema.ToUpperInvariant());
            if (last.Error is not null) return last;
        }
        commit();
        return statements.Count > 1 ? new StatementOutcome(["multiple statement execution"], [["Multiple statements executed successfully."]], last.RowsInserted) : last;
    }

    /// <summary>What the transaction removed from its snapshot is removed, what it added is added: by row, unchecked.</summary>
    private static State Merged(State current, State snapshot, State finished)
    {
        var merged = current.Copy();
        foreach (var (name, table) in finished.Tables)
        {
            var before = snapshot.Tables.TryGetValue(name, out var was) ? new HashSet<string?[]>(was.Rows, ReferenceEqualityComparer.Instance) : [];
            var after = new HashSet<string?[]>(table.Rows, ReferenceEqualityComparer.Instance);
            if (!merged.Tables.TryGetValue(name, out var target)) merged.Tables[name] = target = new FakeTable(table.Columns);
            target.Rows.RemoveAll(row => before.Contains(row) && !after.Contains(row));
            target.Rows.AddRange(table.Rows.Where(row => !before.Contains(row)));
        }
        foreach (var name in snapshot.Tables.Keys.Where(n => !finished.Tables.ContainsKey(n))) merged.Tables.Remove(name);
        return merged;
    }

    private static string StripComments(string sql) => string.Join('\n', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)));

    private static StatementOutcome Run(State state, string sql, IReadOnlyList<string?> bindings, string schema)
    {
        var tables = state.Tables;
        string Name(string raw) => Qualified(raw, schema);
        Match m;
        if (Regex.IsMatch(sql, "^(BEGIN|COMMIT)", Options)) return Ok();

        if ((m = Regex.Match(sql, @"^CREATE SCHEMA (IF NOT EXISTS )?(\S+)$", Options)).Success)
        {
            state.Schemas.Add(Bare(m.Groups[2].Value));
            return Ok();
        }
        if ((m = Regex.Match(sql, @"^CREATE SCHEMA (\S+) CLONE (\S+)$", Options)).Success)
        {
            var (to, from) = (Bare(m.Groups[1].Value), Bare(m.Groups[2].Value));
            if (state.Schemas.Contains(to)) return Error($"Object '{to}' already exists.");
            if (!state.Schemas.Contains(from)) return Error($"Schema '{from}' does not exist or not authorized.");
            state.Schemas.Add(to);
            foreach (var (name, table) in InSchema(tables, from).ToList()) tables[$"{to}.{name.Split('.')[1]}"] = table.Copy();
            return Ok();
        }
        if ((m = Regex.Match(sql, @"^DROP SCHEMA IF EXISTS (\S+)( CASCADE)?$", Options)).Success)
        {
            var dropped = Bare(m.Groups[1].Value);
            state.Schemas.Remove(dropped);
            foreach (var (name, _) in InSchema(tables, dropped).ToList()) tables.Remove(name);
            return Ok();
        }
        if ((m = Regex.Match(sql, @"^ALTER SCHEMA (\S+) SWAP WITH (\S+)$", Options)).Success)
        {
            var (a, b) = (Bare(m.Groups[1].Value), Bare(m.Groups[2].Value));
            if (!state.Schemas.Contains(a) || !state.Schemas.Contains(b)) return Error("Schema does not exist or not authorized.");
            var inA = InSchema(tables, a).ToList();
            var inB = InSchema(tables, b).ToList();
            foreach (var (name, _) in inA.Concat(inB)) tables.Remove(name);
            foreach (var (name, table) in inA) tables[$"{b}.{name.Split('.')[1]}"] = table;
            foreach (var (name, table) in inB) tables[$"{a}.{name.Split('.')[1]}"] = table;
            return Ok();
        }

        if ((m = Regex.Match(sql, @"^CREATE (?:TRANSIENT )?TABLE (IF NOT EXISTS )?(\S+) \((.*)\)$", Options)).Success)
        {
            var name = Name(m.Groups[2].Value);
            if (!state.Schemas.Contains(name.Split('.')[0])) return Error($"Schema '{name.Split('.')[0]}' does not exist or not authorized.");
            if (tables.ContainsKey(name)) return m.Groups[1].Success ? Ok() : Error($"Object '{name}' already exists.");
            var columns = m.Groups[3].Value.Split(',').Select(c => c.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0].Trim('"').ToUpperInvariant())
                .Where(c => c != "PRIMARY" && !c.StartsWith("KEY", StringComparison.Ordinal)).ToArray();
            tables[name] = new FakeTable(columns);
            return Ok();
        }
        if ((m = Regex.Match(sql, @"^CREATE OR REPLACE TABLE (\S+) CLONE (\S+)$", Options)).Success)
        {
            if (!tables.TryGetValue(Name(m.Groups[2].Value), out var source)) return Error($"Table '{m.Groups[2].Value}' does not exist or not authorized.");
            tables[Name(m.Groups[1].Value)] = source.Copy();
            return Ok();
        }

        if ((m = Regex.Match(sql, @"^DROP TABLE IF EXISTS (\S+)$", Options)).Success)
        {
            tables.Remove(Name(m.Groups[1].Value));
            return Ok();
        }

        if ((m = Regex.Match(sql, @"^DELETE FROM (\S+)$", Options)).Success)
        {
            if (!tables.TryGetValue(Name(m.Groups[1].Value), out var table)) return Error("Table does not exist");
            table.Rows.Clear();
            return Ok();
        }

        // A staging chunk: INSERT INTO stage (...) SELECT column1, ... FROM VALUES (...), (...)
        if ((m = Regex.Match(sql, @"^INSERT INTO (\S+) \(([^)]*)\) SELECT .*? FROM VALUES ", Options)).Success)
        {
            if (!tables.TryGetValue(Name(m.Groups[1].Value), out var table)) return Error("Table does not exist");
            var rows = SnowflakeLiteral.ReadTuples(sql, m.Length);
            // As Snowflake evaluates the select list: NULLIF(columnN, '') makes '' NULL; PARSE_JSON (not TRY_) refuses text that is not JSON.
            var select = sql[..m.Length];
            var strictJson = Regex.Match(select, @"(?<!TRY_)PARSE_JSON\(column(\d+)\)");
            foreach (var row in rows)
            {
                if (select.Contains("NULLIF(", StringComparison.Ordinal))
                    for (var i = 0; i < row.Length; i++) row[i] = row[i] == "" ? null : row[i];
                if (strictJson.Success && row[int.Parse(strictJson.Groups[1].Value, CultureInfo.InvariantCulture) - 1] is { } json && !IsJson(json))
                    return Error($"Error parsing JSON: {json[..Math.Min(20, json.Length)]}");
            }
            table.Rows.AddRange(rows);
            return new StatementOutcome(["number of rows inserted"], [[rows.Count.ToString(CultureInfo.InvariantCulture)]], rows.Count);
        }

        // The move into RAW: INSERT INTO raw (...) SELECT st.A, ..., batch, 'load', CURRENT_TIMESTAMP() FROM stage AS st [WHERE NOT EXISTS ...]
        if ((m = Regex.Match(sql, @"^INSERT INTO (\S+) \([^)]*\) SELECT .*?, (\d+), '([^']+)', CURRENT_TIMESTAMP\(\) FROM (\S+) AS st( WHERE NOT EXISTS)?", Options)).Success)
        {
            if (!tables.TryGetValue(Name(m.Groups[1].Value), out var target) || !tables.TryGetValue(Name(m.Groups[4].Value), out var stage))
                return Error("Table does not exist");
            // NOT EXISTS sees the table as it was before the statement: keys repeated within the stage all go in.
            var existing = m.Groups[5].Success ? target.Rows.Select(r => r[0]).ToHashSet() : [];
            var added = 0;
            foreach (var row in stage.Rows)
            {
                if (existing.Contains(row[0])) continue;
                target.Rows.Add([.. row, m.Groups[2].Value, m.Groups[3].Value, DateTimeOffset.UtcNow.ToString("O")]);
                added++;
            }
            return new StatementOutcome(["number of rows inserted"], [[added.ToString(CultureInfo.InvariantCulture)]], added);
        }

        // The ledger: INSERT INTO _LOADS (...) SELECT 'id', batch, 'mode', PARSE_JSON('...'), counts..., started, CURRENT_TIMESTAMP(), 'status'
        if ((m = Regex.Match(sql, @"^INSERT INTO (\S+_LOADS) \([^)]*\) SELECT '([^']+)', (\d+), '(\w+)', PARSE_JSON\(('(?:[^'\\]|''|\\.)*')\), (.*), '([^']+)'::TIMESTAMP_TZ, CURRENT_TIMESTAMP\(\), '(\w+)'$", Options)).Success)
        {
            var ledgerName = Name(m.Groups[1].Value);
            if (!tables.TryGetValue(ledgerName, out var ledger)) return Error("Table does not exist");
            var loadId = m.Groups[2].Value;
            var prefix = ledgerName.Split('.')[0];
            long Inserted(string table) => tables.TryGetValue($"{prefix}.{table}", out var t) ? t.Rows.Count(r => r[^2] == loadId) : 0;
            var fileRows = Regex.Matches(m.Groups[6].Value, @"(\d+) - \(SELECT").Select(x => long.Parse(x.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
            string?[] counts = fileRows.Length == 3
                ? [.. new[] { "RAW_PLAYERS", "RAW_SESSIONS", "RAW_GAME_EVENTS" }.SelectMany((t, i) => new[] { Inserted(t), fileRows[i] - Inserted(t) }).Select(n => n.ToString(CultureInfo.InvariantCulture))]
                : ["0", "0", "0", "0", "0", "0"];
            var position = 0;
            var files = SnowflakeLiteral.Read(m.Groups[5].Value, ref position);
            ledger.Rows.Add([loadId, m.Groups[3].Value, m.Groups[4].Value, files, .. counts, m.Groups[7].Value, DateTimeOffset.UtcNow.ToString("O"), m.Groups[8].Value]);
            return new StatementOutcome(["number of rows inserted"], [["1"]], 1);
        }

        if ((m = Regex.Match(sql, @"^SELECT PLAYERS_INSERTED, .* FROM (\S+) WHERE LOAD_ID = '([^']+)'$", Options)).Success)
        {
            var row = tables[Name(m.Groups[1].Value)].Rows.Single(r => r[0] == m.Groups[2].Value);
            return new StatementOutcome(["PLAYERS_INSERTED"], [row[4..10]]);
        }

        // The lock: its row made once, taken and released by UPDATE, checked inside the final transaction.
        if ((m = Regex.Match(sql, @"^INSERT INTO (\S+) \(NAME\) SELECT 'load' WHERE NOT EXISTS", Options)).Success)
        {
            var table = tables[Name(m.Groups[1].Value)];
            if (table.Rows.Any(r => r[0] == "load")) return Ok();
            table.Rows.Add(["load", null, null, null]);
            return new StatementOutcome([], [], 1);
        }
        if ((m = Regex.Match(sql, @"^UPDATE (\S+) SET HOLDER = '([^']+)', SINCE = CURRENT_TIMESTAMP\(\), EXPIRES = DATEADD\(hour, (\d+), CURRENT_TIMESTAMP\(\)\) WHERE NAME = 'load' AND \(HOLDER IS NULL OR EXPIRES < CURRENT_TIMESTAMP\(\)\)$", Options)).Success)
        {
            var table = tables[Name(m.Groups[1].Value)];
            var row = table.Rows.Single(r => r[0] == "load");
            if (row[1] is not null && DateTimeOffset.Parse(row[3]!, CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow) return Updated(0);
            table.Rows[table.Rows.IndexOf(row)] = ["load", m.Groups[2].Value, DateTimeOffset.UtcNow.ToString("O"), DateTimeOffset.UtcNow.AddHours(int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)).ToString("O")];
            return Updated(1);
        }
        if ((m = Regex.Match(sql, @"^UPDATE (\S+) SET HOLDER = NULL, SINCE = NULL, EXPIRES = NULL WHERE NAME = 'load' AND HOLDER = '([^']+)'$", Options)).Success)
        {
            if (!tables.TryGetValue(Name(m.Groups[1].Value), out var table)) return Updated(0);
            var index = table.Rows.FindIndex(r => r[0] == "load" && r[1] == m.Groups[2].Value);
            if (index < 0) return Updated(0);
            table.Rows[index] = ["load", null, null, null];
            return Updated(1);
        }
        if ((m = Regex.Match(sql, @"^SELECT HOLDER, SINCE FROM (\S+) WHERE NAME = 'load'$", Options)).Success)
            return new StatementOutcome(["HOLDER", "SINCE"], [.. tables[Name(m.Groups[1].Value)].Rows.Where(r => r[0] == "load").Select(r => new[] { r[1], r[2] })]);
        if ((m = Regex.Match(sql, @"^SELECT 1 / \(SELECT count\(\*\) FROM (\S+) WHERE NAME = 'load' AND HOLDER = '([^']+)'\)$", Options)).Success)
            return tables[Name(m.Groups[1].Value)].Rows.Any(r => r[0] == "load" && r[1] == m.Groups[2].Value) ? Scalar("1") : Error("Division by zero");

        // The journal (DbUp): insert with bindings, list, and "does the table exist".
        if ((m = Regex.Match(sql, @"^insert into (\S+) \(script_name, checksum, applied_at\) values \(\?, \?, \?\)$", Options)).Success)
        {
            tables[Name(m.Groups[1].Value)].Rows.Add([bindings[0], bindings[1], bindings[2]]);
            return new StatementOutcome([], [], 1);
        }
        if ((m = Regex.Match(sql, @"^select script_name(, checksum)? from (\S+) order by script_name$", Options)).Success)
            return new StatementOutcome(["SCRIPT_NAME", "CHECKSUM"], tables[Name(m.Groups[2].Value)].Rows.Select(r => m.Groups[1].Success ? new[] { r[0], r[1] } : new[] { r[0] }).ToList());

        if ((m = Regex.Match(sql, @"information_schema\.tables WHERE upper\(table_schema\) = upper\('([^']*)'\) AND upper\(table_name\) (?:= (?:upper\()?'([^']+)'\)?|IN \(([^)]*)\))", Options)).Success)
        {
            var inSchema = m.Groups[1].Value.ToUpperInvariant();
            var names = m.Groups[2].Success ? [m.Groups[2].Value] : m.Groups[3].Value.Split(',').Select(n => n.Trim().Trim('\'')).ToArray();
            return Scalar(names.Count(n => tables.ContainsKey($"{inSchema}.{n.ToUpperInvariant()}")).ToString(CultureInfo.InvariantCulture));
        }
        if ((m = Regex.Match(sql, @"^SELECT table_name FROM information_schema\.tables WHERE table_schema = '([^']+)' ORDER BY table_name$", Options)).Success)
            return new StatementOutcome(["TABLE_NAME"], [.. InSchema(tables, m.Groups[1].Value.ToUpperInvariant()).Select(t => new[] { t.Key.Split('.')[1] }).OrderBy(r => r[0], StringComparer.Ordinal)]);
        if ((m = Regex.Match(sql, @"^SELECT schema_name FROM information_schema\.schemata WHERE schema_name = '([^']+)'$", Options)).Success)
            return new StatementOutcome(["SCHEMA_NAME"], state.Schemas.Contains(m.Groups[1].Value.ToUpperInvariant()) ? [[m.Groups[1].Value.ToUpperInvariant()]] : []);

        // The state: counts, highest batch present, latest event time, the latest successful load's files.
        if ((m = Regex.Match(sql, @"^SELECT \(SELECT count\(\*\) FROM (\S+)\.RAW_PLAYERS\)", Options)).Success)
        {
            var of = m.Groups[1].Value.ToUpperInvariant();
            var raw = new[] { "RAW_PLAYERS", "RAW_SESSIONS", "RAW_GAME_EVENTS" }.SelectMany(t => tables[$"{of}.{t}"].Rows).ToList();
            var latest = tables[$"{of}._LOADS"].Rows.LastOrDefault(r => r[^1] == "succeeded");
            return new StatementOutcome(["A", "B", "C", "D", "E", "F"], [[
                tables[$"{of}.RAW_PLAYERS"].Rows.Count.ToString(CultureInfo.InvariantCulture),
                tables[$"{of}.RAW_SESSIONS"].Rows.Count.ToString(CultureInfo.InvariantCulture),
                tables[$"{of}.RAW_GAME_EVENTS"].Rows.Count.ToString(CultureInfo.InvariantCulture),
                raw.Count == 0 ? null : raw.Max(r => int.Parse(r[^3]!, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture),
                tables[$"{of}.RAW_GAME_EVENTS"].Rows.Select(r => r[1]).Max(StringComparer.Ordinal),
                latest?[3]]]);
        }

        return Error($"SQL compilation error: the fake server does not understand: {sql[..Math.Min(80, sql.Length)]}");
    }

    private static IEnumerable<KeyValuePair<string, FakeTable>> InSchema(Dictionary<string, FakeTable> tables, string schema) =>
        tables.Where(t => t.Key.StartsWith(schema + ".", StringComparison.Ordinal));

    /// <summary>SCHEMA.TABLE in capitals, quotes removed; a database in front is ignored.</summary>
    private static string Qualified(string name, string schema)
    {
        var parts = name.Split('.').Select(Bare).ToArray();
        return parts.Length == 1 ? $"{schema}.{parts[0]}" : $"{parts[^2]}.{parts[^1]}";
    }

    private static string Bare(string name) => name.Trim('"').ToUpperInvariant();
    private static StatementOutcome Ok() => new(["status"], [["Statement executed successfully."]]);
    private static StatementOutcome Updated(long rows) => new(["number of rows updated"], [[rows.ToString(CultureInfo.InvariantCulture)]], RowsUpdated: rows);
    private static StatementOutcome Scalar(string value) => new(["VALUE"], [[value]]);
    private static StatementOutcome Error(string message) => new([], [], Error: message);

    private static bool IsJson(string text)
    {
        try { using var _ = System.Text.Json.JsonDocument.Parse(text); return true; }
        catch (System.Text.Json.JsonException) { return false; }
    }
}
