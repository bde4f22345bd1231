using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using GameData.Generation;

namespace GameData.Reporting;

/// <summary>A query's answer: column names and rows as they came back.</summary>
public sealed record QueryResult(string[] Columns, List<object?[]> Rows)
{
    public string[] Text(int column) => Rows.Select(r => Convert.ToString(r[column], CultureInfo.InvariantCulture) ?? "").ToArray();
    public double[] Numbers(int column) => Rows.Select(r => Convert.ToDouble(r[column], CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>
/// Runs <c>queries.sql</c> with an in-memory DuckDB over the three CSV files and returns every named
/// result. The events file is read once; every figure comes from the three small tables built from it.
/// </summary>
public static class ReportQueries
{
    /// <summary>
    /// DuckDB's memory for the report; beyond it, it spills to a temporary folder. It must hold the CSV reader's buffers,
    /// which <see cref="LineLimit"/> makes 64 MB each (at 128 MB, any events file over about 100 MB failed with "Out of
    /// Memory"). Measured at 100,000 players: the process peaks at 815 MB unbounded, 756 MB with this limit (13 s).
    /// </summary>
    private const string MemoryLimit = "320MB";

    /// <summary>The longest line a valid file may hold, as the DuckDB warehouse reads it: a value may be megabytes long.</summary>
    private const string LineLimit = "max_line_size = 67108864, buffer_size = 67108864";

    public static IReadOnlyList<(string Name, string Sql)> Load()
    {
        using var stream = typeof(ReportQueries).Assembly.GetManifestResourceStream("GameData.Reporting.queries.sql")!;
        return Parse(new StreamReader(stream).ReadToEnd());
    }

    /// <summary>Splits the file at <c>-- name: x</c> lines.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Parse(string text) =>
        Regex.Split(text, @"^-- name: ", RegexOptions.Multiline).Skip(1)
            .Select(block => (Name: block[..block.IndexOf('\n')].Trim(), Sql: block[(block.IndexOf('\n') + 1)..].Trim().TrimEnd(';')))
            .ToList();

    /// <param name="quality">Also run the quality_* queries (a dataset with declared defects, or files from elsewhere).</param>
    public static Dictionary<string, QueryResult> Run(string dataDirectory, IProgress<string>? steps = null, bool quality = false)
    {
        var spill = Directory.CreateTempSubdirectory("gamedata-report-");
        try
        {
            using var connection = Connect(spill.FullName);
            return Run(connection, dataDirectory, steps, quality);
        }
        finally
        {
            spill.Delete(recursive: true);
        }
    }

    /// <summary>An in-memory DuckDB that installs nothing by itself (no download), spilling past its memory limit.</summary>
    private static DuckDBConnection Connect(string spillFolder)
    {
        var connection = new DuckDBConnection(new DuckDBConnectionStringBuilder
        {
            DataSource = ":memory:", ["autoinstall_known_extensions"] = "false", ["autoload_known_extensions"] = "false",
            ["memory_limit"] = MemoryLimit, ["temp_directory"] = spillFolder,
        }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static Dictionary<string, QueryResult> Run(DuckDBConnection connection, string dataDirectory, IProgress<string>? steps,
        bool quality)
    {
        var results = new Dictionary<string, QueryResult>();
        foreach (var (name, template) in Load())
        {
            if (name.StartsWith("quality_", StringComparison.Ordinal) && !quality) continue;
            steps?.Report(name);
            var sql = Sql(template, dataDirectory);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            if (sql.StartsWith("CREATE", StringComparison.OrdinalIgnoreCase)
                || sql.Contains("\nCREATE", StringComparison.OrdinalIgnoreCase))
            {
                command.ExecuteNonQuery();
                continue;
            }
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            var rows = new List<object?[]>();
            while (reader.Read())
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
            results[name] = new QueryResult(columns, rows);
        }
        return results;
    }

    /// <summary>A query of <c>queries.sql</c> with its placeholders filled in: the files' read_csv, the game's values.</summary>
    public static string Sql(string template, string dataDirectory) => template
        .Replace("{players_csv}", Csv(dataDirectory, DatasetFiles.Players, PlayerGenerator.Header))
        .Replace("{sessions_csv}", Csv(dataDirectory, DatasetFiles.Sessions, SessionGenerator.Header))
        .Replace("{events_csv}", Csv(dataDirectory, DatasetFiles.Events, EventGenerator.Header))
        .Replace("{countries}", GameCatalog.SqlList(GameCatalog.Countries.Select(c => c.Country)))
        .Replace("{languages}", GameCatalog.SqlList(GameCatalog.Countries.Select(c => c.Language)))
        .Replace("{difficulties}", GameCatalog.SqlList(GameCatalog.Difficulties))
        .Replace("{platforms}", GameCatalog.SqlList(GameCatalog.Platforms));

    /// <summary>read_csv of a raw file with its columns named and typed as text, as delivered.</summary>
    public static string Csv(string dataDirectory, string file, string header)
    {
        var columns = string.Join(", ", header.Split(',').Select(c => $"'{c}': 'VARCHAR'"));
        var path = Path.GetFullPath(Path.Combine(dataDirectory, file)).Replace("'", "''");
        return $"read_csv('{path}', header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', " +
            $"{LineLimit}, columns = {{{columns}}})";
    }
}
