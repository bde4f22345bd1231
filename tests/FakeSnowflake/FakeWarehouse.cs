using System.Globalization;
using System.Text.RegularExpressions;

namespace FakeSnowflake;

/// <summary>The outcome of one statement: rows to return, rows inserted, or a SQL error (HTTP 422).</summary>
public sealed record StatementOutcome(string[] Columns, List<string?[]> Rows, long RowsInserted = 0, string? Error = null);

/// <summary>
/// An in-memory stand-in for the tables behind the SQL API, understanding exactly the statements the
/// platform sends (DDL, chunked INSERT ... FROM VALUES, the move into RAW, the ledger, the journal).
/// A multi-statement request is applied all or nothing, as BEGIN ... COMMIT is in Snowflake.
/// </summary>
public sealed class FakeWarehouse
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.Singleline;
    private Dictionary<string, FakeTable> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public sealed class FakeTable(string[] columns)
    {
        public string[] Columns { get; } = columns;
        public List<string?[]> Rows { get; init; } = [];
        public FakeTable Copy() => new(Columns) { Rows = [.. Rows] };
    }

    /// <summary>A copy of a table's rows, or null when there is no such table. Names are taken without schema.</summary>
    public List<string?[]>? Table(string name)
    {
        lock (_gate) return _tables.TryGetValue(Bare(name), out var table) ? [.. table.Rows] : null;
    }

    public IReadOnlyList<string> TableNames()
    {
        lock (_gate) return [.. _tables.Keys];
    }

    /// <summary>Runs a request's statements; if any fails, none of them takes effect.</summary>
    /// <param name="multiStatement">Whether the request set MULTI_STATEMENT_COUNT; only then is it split at semicolons.</param>
    public StatementOutcome Execute(string request, IReadOnlyList<string?> bindings, bool multiStatement)
    {
        lock (_gate)
        {
            var working = _tables.ToDictionary(t => t.Key, t => t.Value.Copy(), StringComparer.OrdinalIgnoreCase);
            var statements = (multiStatement ? Regex.Split(request, @";\s*(?:\n|$)") : [request.TrimEnd().TrimEnd(';')])
                .Select(s => StripComments(s).Trim()).Where(s => s.Length > 0).ToList();
            if (statements.Count > 1 && !multiStatement) return Error("Actual statement count 2 did not match the desired statement count 1.");
            StatementOutcome last = new([], []);
            foreach (var statement in statements)
            {
                last = Run(working, statement, bindings);
                if (last.Error is not null) return last;
            }
            _tables = working;
            return statements.Count > 1 ? new StatementOutcome(["multiple statement execution"], [["Multiple statements executed successfully."]], last.RowsInserted) : last;
        }
    }

    private static string StripComments(string sql) => string.Join('\n', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)));

    private static StatementOutcome Run(Dictionary<string, FakeTable> tables, string sql, IReadOnlyList<string?> bindings)
    {
        Match m;
        if (Regex.IsMatch(sql, @"^(BEGIN|COMMIT|CREATE SCHEMA)", Options)) return Ok();

        if ((m = Regex.Match(sql, @"^CREATE (?:TRANSIENT )?TABLE (IF NOT EXISTS )?(\S+) \((.*)\)$", Options)).Success)
        {
            var name = Bare(m.Groups[2].Value);
            if (tables.ContainsKey(name)) return m.Groups[1].Success ? Ok() : Error($"Object '{name}' already exists.");
            var columns = m.Groups[3].Value.Split(',').Select(c => c.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0].Trim('"').ToUpperInvariant())
                .Where(c => c != "PRIMARY" && !c.StartsWith("KEY", StringComparison.Ordinal)).ToArray();
            tables[name] = new FakeTable(columns);
            return Ok();
        }

        if ((m = Regex.Match(sql, @"^DROP TABLE IF EXISTS (\S+)$", Options)).Success)
        {
            tables.Remove(Bare(m.Groups[1].Value));
            return Ok();
        }

        if ((m = Regex.Match(sql, @"^DELETE FROM (\S+)$", Options)).Success)
        {
            if (!tables.TryGetValue(Bare(m.Groups[1].Value), out var table)) return Error("Table does not exist");
            table.Rows.Clear();
            return Ok();
        }

        // A staging chunk: INSERT INTO stage (...) SELECT column1, ... FROM VALUES (...), (...)
        if ((m = Regex.Match(sql, @"^INSERT INTO (\S+) \(([^)]*)\) SELECT .*? FROM VALUES ", Options)).Success)
        {
            if (!tables.TryGetValue(Bare(m.Groups[1].Value), out var table)) return Error("Table does not exist");
            var rows = SnowflakeLiteral.ReadTuples(sql, m.Length);
            table.Rows.AddRange(rows);
            return new StatementOutcome(["number of rows inserted"], [[rows.Count.ToString(CultureInfo.InvariantCulture)]], rows.Count);
        }

        // The move into RAW: INSERT INTO raw (...) SELECT st.A, ..., batch, 'load', CURRENT_TIMESTAMP() FROM stage AS st [WHERE NOT EXISTS ...]
        if ((m = Regex.Match(sql, @"^INSERT INTO (\S+) \([^)]*\) SELECT .*?, (\d+), '([^']+)', CURRENT_TIMESTAMP\(\) FROM (\S+) AS st( WHERE NOT EXISTS)?", Options)).Success)
        {
            if (!tables.TryGetValue(Bare(m.Groups[1].Value), out var target) || !tables.TryGetValue(Bare(m.Groups[4].Value), out var stage))
                return Error("Table does not exist");
            var existing = m.Groups[5].Success ? target.Rows.Select(r => r[0]).ToHashSet() : [];
            var added = 0;
            foreach (var row in stage.Rows)
            {
                if (m.Groups[5].Success && !existing.Add(row[0])) continue;
                target.Rows.Add([.. row, m.Groups[2].Value, m.Groups[3].Value, DateTimeOffset.UtcNow.ToString("O")]);
                added++;
            }
            return new StatementOutcome(["number of rows inserted"], [[added.ToString(CultureInfo.InvariantCulture)]], added);
        }

        // The ledger: INSERT INTO _LOADS (...) SELECT 'id', batch, 'mode', PARSE_JSON('...'), counts..., started, CURRENT_TIMESTAMP(), 'status'
        if ((m = Regex.Match(sql, @"^INSERT INTO (\S+_LOADS) \([^)]*\) SELECT '([^']+)', (\d+), '(\w+)', PARSE_JSON\(('(?:[^'\\]|''|\\.)*')\), (.*), '([^']+)'::TIMESTAMP_TZ, CURRENT_TIMESTAMP\(\), '(\w+)'$", Options)).Success)
        {
            if (!tables.TryGetValue(Bare(m.Groups[1].Value), out var ledger)) return Error("Table does not exist");
            var loadId = m.Groups[2].Value;
            long Inserted(string table) => tables.TryGetValue(table, out var t) ? t.Rows.Count(r => r[^2] == loadId) : 0;
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
            var row = tables[Bare(m.Groups[1].Value)].Rows.Single(r => r[0] == m.Groups[2].Value);
            return new StatementOutcome(["PLAYERS_INSERTED"], [row[4..10]]);
        }

        // The journal (DbUp): insert with bindings, list, and "does the table exist".
        if ((m = Regex.Match(sql, @"^insert into (\S+) \(script_name, checksum, applied_at\) values \(\?, \?, \?\)$", Options)).Success)
        {
            tables[Bare(m.Groups[1].Value)].Rows.Add([bindings[0], bindings[1], bindings[2]]);
            return new StatementOutcome([], [], 1);
        }
        if ((m = Regex.Match(sql, @"^select script_name(, checksum)? from (\S+) order by script_name$", Options)).Success)
            return new StatementOutcome(["SCRIPT_NAME", "CHECKSUM"], tables[Bare(m.Groups[2].Value)].Rows.Select(r => m.Groups[1].Success ? new[] { r[0], r[1] } : new[] { r[0] }).ToList());

        if ((m = Regex.Match(sql, @"information_schema\.tables WHERE upper\(table_schema\) = upper\('[^']*'\) AND upper\(table_name\) (?:= upper\('([^']+)'\)|IN \(([^)]*)\))", Options)).Success)
        {
            var names = m.Groups[1].Success ? [m.Groups[1].Value] : m.Groups[2].Value.Split(',').Select(n => n.Trim().Trim('\'')).ToArray();
            return Scalar(names.Count(n => tables.ContainsKey(n)).ToString(CultureInfo.InvariantCulture));
        }

        // The state: counts, highest batch present, latest event time, the latest successful load's files.
        if (Regex.IsMatch(sql, @"^SELECT \(SELECT count\(\*\) FROM \S+RAW_PLAYERS\)", Options))
        {
            var raw = new[] { "RAW_PLAYERS", "RAW_SESSIONS", "RAW_GAME_EVENTS" }.SelectMany(t => tables[t].Rows).ToList();
            var latest = tables["_LOADS"].Rows.LastOrDefault(r => r[^1] == "succeeded");
            return new StatementOutcome(["A", "B", "C", "D", "E", "F"], [[
                tables["RAW_PLAYERS"].Rows.Count.ToString(CultureInfo.InvariantCulture),
                tables["RAW_SESSIONS"].Rows.Count.ToString(CultureInfo.InvariantCulture),
                tables["RAW_GAME_EVENTS"].Rows.Count.ToString(CultureInfo.InvariantCulture),
                raw.Count == 0 ? null : raw.Max(r => int.Parse(r[^3]!, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture),
                tables["RAW_GAME_EVENTS"].Rows.Select(r => r[1]).Max(StringComparer.Ordinal),
                latest?[3]]]);
        }

        return Error($"SQL compilation error: the fake server does not understand: {sql[..Math.Min(80, sql.Length)]}");
    }

    private static string Bare(string name) => name.Split('.')[^1].Trim('"').ToUpperInvariant();
    private static StatementOutcome Ok() => new(["status"], [["Statement executed successfully."]]);
    private static StatementOutcome Scalar(string value) => new(["VALUE"], [[value]]);
    private static StatementOutcome Error(string message) => new([], [], Error: message);
}
