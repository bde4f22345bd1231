// Explore the dataset with the report's own DuckDB queries, then add your own.
//   dotnet run notebooks/explore.cs                 # data/ at the repository root
//   dotnet run notebooks/explore.cs -- /path/to/data
// A .NET 10 file-based program. The queries are src/GameData/Reporting/queries.sql, the file `gamedata report`
// runs, filled in by the same library: each file's read_csv, and the game's values.
#:project ../src/GameData/GameData.csproj
#:property ManagePackageVersionsCentrally=false
#:property TreatWarningsAsErrors=false

using DuckDB.NET.Data;
using GameData.Reporting;
using GameData.Settings;

var data = Path.GetFullPath(args.Length > 0 ? args[0] : RepositoryFolders.DefaultData());
using var duck = new DuckDBConnection("Data Source=:memory:");
duck.Open();
foreach (var (name, sql) in ReportQueries.Load()) Show(name, ReportQueries.Sql(sql, data));

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
