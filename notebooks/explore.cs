// Explore the dataset with the report's own DuckDB queries, then add your own.
//   dotnet run notebooks/explore.cs                 # data/ at the repository root
//   dotnet run notebooks/explore.cs -- /path/to/data
// A .NET 10 file-based program: no project needed. The queries are read from
// src/GameData/Reporting/queries.sql, the file `gamedata report` runs.
#:package DuckDB.NET.Data.Full@1.5.6.1
#:property ManagePackageVersionsCentrally=false
#:property TreatWarningsAsErrors=false

using System.Text.RegularExpressions;
using DuckDB.NET.Data;

var root = FindRoot();
var data = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(root, "data"));
var queries = Regex.Split(File.ReadAllText(Path.Combine(root, "src/GameData/Reporting/queries.sql")), @"^-- name: ", RegexOptions.Multiline)
    .Skip(1).Select(block => (Name: block[..block.IndexOf('\n')].Trim(), Sql: block[(block.IndexOf('\n') + 1)..].Trim().TrimEnd(';')));

using var duck = new DuckDBConnection("Data Source=:memory:");
duck.Open();
foreach (var (name, sql) in queries)
{
    var text = sql.Replace("{players_csv}", Csv("raw_players.csv", "player_id,first_seen_at,country,language,difficulty_selected"))
                  .Replace("{sessions_csv}", Csv("raw_sessions.csv", "session_id,player_id,session_start,session_end,platform"))
                  .Replace("{events_csv}", Csv("raw_game_events.csv", "event_id,event_time,player_id,event_name,platform,game_version,properties"));
    Show(name, text);
}

// Your own questions go here, e.g.:
Show("longest sessions", "SELECT session_id, player_id, date_diff('minute', session_start, session_end) AS minutes FROM sessions ORDER BY minutes DESC LIMIT 5");

void Show(string title, string sql)
{
    using var command = duck.CreateCommand();
    command.CommandText = sql;
    if (sql.TrimStart().StartsWith("CREATE", StringComparison.OrdinalIgnoreCase)) { command.ExecuteNonQuery(); return; }
    using var reader = command.ExecuteReader();
    Console.WriteLine($"\n== {title}");
    Console.WriteLine(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)));
    while (reader.Read()) Console.WriteLine(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i))));
}

string Csv(string file, string header) =>
    $"read_csv('{Path.Combine(data, file)}', header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', " +
    $"columns = {{{string.Join(", ", header.Split(',').Select(c => $"'{c}': 'VARCHAR'"))}}})";

static string FindRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "GameData.slnx"))) return dir.FullName;
    throw new InvalidOperationException("run from inside the repository");
}
