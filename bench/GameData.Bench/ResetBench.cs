using System.Diagnostics;
using GameData.Generation;
using GameData.Loading;
using GameData.Migrations;
using GameData.Reset;
using GameData.Settings;
using GameData.Warehouses;
using Npgsql;

namespace GameData.Bench;

/// <summary>
/// Resetting a class of PostgreSQL schemas in one command (the batch loaded once, then copied on the server),
/// against a migrate and a recreate load per schema, and against one load, in the same run.
/// </summary>
public static class ResetBench
{
    private static readonly string Migrations = RepositoryFolders.MigrationsNear(AppContext.BaseDirectory);

    public static void Run(int schemas, int players)
    {
        var postgres = Environment.GetEnvironmentVariable("GAMEDATA_BENCH_POSTGRES")
                       ?? "Host=localhost;Username=gamedata_test;Password=gamedata_test;Database=gamedata_test";
        var warehouse = new WarehouseSettings(GameData.Warehouses.Postgres.PostgresProvider.Instance, "raw", "", postgres);
        var names = Enumerable.Range(1, schemas).Select(i => $"bench_reset_{i:00}").ToList();
        Console.WriteLine($"\nreset benchmark on {Environment.ProcessorCount} cores: {schemas} PostgreSQL schemas, {players:N0} players each");
        using var dataset = new BenchDataset("reset", players);
        try
        {
            var one = Loads(warehouse, names.Take(1), dataset.Folder);
            var separate = Loads(warehouse, names, dataset.Folder);
            Drop(postgres, names);
            var targets = ResetTargets.FromNames(warehouse, names, null);
            var options = new ResetOptions(GenerationSettings.Defaults with { Players = players }, Migrations, [], 4, TimeSpan.FromMinutes(2), [], DropDependents: false);
            var clock = Stopwatch.StartNew();
            var results = ResetRunner.Run(targets, options, _ => { }, CancellationToken.None);
            var reset = clock.Elapsed.TotalSeconds;
            if (results.Any(r => !r.Succeeded)) throw new InvalidOperationException(results.First(r => !r.Succeeded).Error);

            Console.WriteLine($"{"",-44} {"wall s",8} {"x one load",11}");
            Console.WriteLine($"{"one load (migrate + recreate, one schema)",-44} {one,8:0.00} {1,11:0.00}");
            Console.WriteLine($"{$"{schemas} separate loads (migrate + recreate each)",-44} {separate,8:0.00} {separate / one,11:0.00}");
            Console.WriteLine($"{$"gamedata reset of {schemas} schemas (4 at a time)",-44} {reset,8:0.00} {reset / one,11:0.00}");
        }
        finally
        {
            Drop(postgres, names);
        }
    }

    /// <summary>The old way: each schema migrated, then loaded with recreate from the client.</summary>
    private static double Loads(WarehouseSettings warehouse, IEnumerable<string> schemas, string data)
    {
        var clock = Stopwatch.StartNew();
        foreach (var schema in schemas)
        {
            var target = warehouse with { Schema = schema };
            MigrationRunner.Run(target, Migrations, false, _ => { });
            using var opened = Warehouse.Open(target, _ => { }, TimeSpan.FromMinutes(1));
            DatasetLoader.Run(opened, DatasetLoader.Plan(opened, data, LoadMode.Recreate, null), new Progress<string>(), CancellationToken.None);
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static void Drop(string connectionString, IEnumerable<string> schemas)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        foreach (var schema in schemas)
        {
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
    }
}
