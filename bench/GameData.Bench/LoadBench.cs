using System.Diagnostics;
using DuckDB.NET.Data;
using GameData.Loading;
using GameData.Migrations;
using GameData.Settings;
using GameData.Warehouses;
using Npgsql;

namespace GameData.Bench;

/// <summary>
/// Load (recreate) against the warehouses' own bulk copies of the same CSV files, in the same run:
/// DuckDB's <c>COPY ... FROM</c> and <c>psql \copy</c>, each into a table identical to the RAW table.
/// </summary>
public static class LoadBench
{
    private static readonly string Migrations = RepositoryFolders.MigrationsNear(AppContext.BaseDirectory);

    public static void RunAll(int[] playerCounts)
    {
        var postgres = Environment.GetEnvironmentVariable("GAMEDATA_BENCH_POSTGRES")
                       ?? "Host=localhost;Username=gamedata_test;Password=gamedata_test;Database=gamedata_test";
        Console.WriteLine();
        Console.WriteLine("load benchmark: recreate into fresh RAW tables vs the native bulk copy into identical tables");
        Console.WriteLine($"{"warehouse",9} {"players",9} {"rows",12} {"load s",8} {"native s",9} {"ratio",6} {"rows/s",12}");
        foreach (var players in playerCounts)
        {
            using var dataset = new BenchDataset("load", players);
            var rows = dataset.Manifest.Files.Values.Sum(f => f.Rows);
            Report("duckdb", players, rows, DuckDb(dataset.Folder));
            Report("postgres", players, rows, Postgres(dataset.Folder, postgres));
        }
    }

    private static void Report(string warehouse, int players, long rows, (double Ours, double Native) seconds) =>
        Console.WriteLine($"{warehouse,9} {players,9:N0} {rows,12:N0} {seconds.Ours,8:0.00} {seconds.Native,9:0.00} {seconds.Ours / seconds.Native,6:0.00} {rows / seconds.Ours,12:N0}");

    private static (double, double) DuckDb(string data)
    {
        var settings = new WarehouseSettings(GameData.Warehouses.DuckDb.DuckDbProvider.Instance, "raw", Path.Combine(data, "bench.duckdb"), null);
        MigrationRunner.Run(settings, Migrations, false, _ => { });
        var ours = TimeLoad(settings, data);

        // Native: COPY into tables with the same columns and types, in another file.
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(data, "native.duckdb")}");
        connection.Open();
        Execute(connection, $"ATTACH '{settings.DuckDbPath}' AS ours (READ_ONLY)");
        Execute(connection, "CREATE SCHEMA raw");
        foreach (var table in RawSchema.Tables) Execute(connection, $"CREATE TABLE raw.{table.Name} AS SELECT * FROM ours.raw.{table.Name} LIMIT 0");
        Execute(connection, "DETACH ours");
        var clock = Stopwatch.StartNew();
        foreach (var table in RawSchema.Tables)
            Execute(connection, $"COPY raw.{table.Name} ({table.ColumnList}) FROM '{Path.Combine(data, table.File)}' (HEADER true)");
        return (ours, clock.Elapsed.TotalSeconds);
    }

    private static (double, double) Postgres(string data, string connectionString)
    {
        var schema = $"bench_{Environment.ProcessId}";
        var settings = new WarehouseSettings(GameData.Warehouses.Postgres.PostgresProvider.Instance, schema, "", connectionString);
        using var admin = new NpgsqlConnection(connectionString);
        admin.Open();
        try
        {
            MigrationRunner.Run(settings, Migrations, false, _ => { });
            var ours = TimeLoad(settings, data);

            // Native: psql \copy into tables made LIKE the RAW ones (same columns, types, keys and defaults).
            Execute(admin, $"CREATE SCHEMA {schema}_native");
            foreach (var table in RawSchema.Tables)
                Execute(admin, $"CREATE TABLE {schema}_native.{table.Name} (LIKE {schema}.{table.Name} INCLUDING ALL)");
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            var psql = new ProcessStartInfo("psql") { RedirectStandardOutput = true };
            psql.ArgumentList.Add("-v");
            psql.ArgumentList.Add("ON_ERROR_STOP=1");
            psql.ArgumentList.Add("-c");
            psql.ArgumentList.Add("SET gamedata.batch_id = '1'; SET gamedata.load_id = 'native'");
            foreach (var table in RawSchema.Tables)
            {
                psql.ArgumentList.Add("-c");
                psql.ArgumentList.Add($"\\copy {schema}_native.{table.Name} ({table.ColumnList}) FROM '{Path.Combine(data, table.File)}' WITH (FORMAT csv, HEADER true)");
            }
            psql.Environment["PGHOST"] = builder.Host;
            psql.Environment["PGPORT"] = builder.Port.ToString();
            psql.Environment["PGUSER"] = builder.Username;
            psql.Environment["PGPASSWORD"] = builder.Password;
            psql.Environment["PGDATABASE"] = builder.Database;
            var clock = Stopwatch.StartNew();
            using (var process = Process.Start(psql)!)
            {
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0) throw new InvalidOperationException("psql \\copy failed");
            }
            return (ours, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            Execute(admin, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
            Execute(admin, $"DROP SCHEMA IF EXISTS {schema}_native CASCADE");
        }
    }

    private static double TimeLoad(WarehouseSettings settings, string data)
    {
        var clock = Stopwatch.StartNew();
        using var warehouse = Warehouse.Open(settings, _ => { }, TimeSpan.FromMinutes(1));
        var plan = DatasetLoader.Plan(warehouse, data, LoadMode.Recreate, null);
        DatasetLoader.Run(warehouse, plan, new Progress<string>(), CancellationToken.None);
        return clock.Elapsed.TotalSeconds;
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }
}
