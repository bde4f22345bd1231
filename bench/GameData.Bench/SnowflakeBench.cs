using System.Diagnostics;
using FakeSnowflake;
using GameData.Generation;
using GameData.Loading;
using GameData.Migrations;
using GameData.Settings;
using GameData.Warehouses;
using GameData.Warehouses.Snowflake;

namespace GameData.Bench;

/// <summary>
/// The default dataset loaded over the SQL API into the local stand-in server, with 100 ms added to every
/// response (roughly a remote region): requests sent, bytes sent, requests in flight, wall time.
/// </summary>
public static class SnowflakeBench
{
    public static void Run()
    {
        using var dataset = new BenchDataset("snowflake", GenerationSettings.Defaults.Players);
        using var server = new FakeSnowflakeServer(TimeSpan.FromMilliseconds(100));
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var keyPath = Path.Combine(dataset.Folder, "bench_key.p8");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        Console.WriteLine();
        Console.WriteLine("snowflake benchmark: default dataset over the SQL API to a local server adding 100 ms per response");
        Console.WriteLine($"{"in flight",9} {"requests",9} {"MB sent",8} {"max in flight",13} {"wall s",8} {"rows/s",10}");
        foreach (var inFlight in new[] { 1, 4, 8 })
        {
            var settings = WarehouseSettings.From(new SettingLayers().Add("bench", new Dictionary<string, string?>
            {
                ["GAME_WAREHOUSE"] = "snowflake", ["SNOWFLAKE_ACCOUNT"] = "bench-account", ["SNOWFLAKE_USER"] = "bench",
                ["SNOWFLAKE_PRIVATE_KEY_PATH"] = keyPath, ["SNOWFLAKE_API_URL"] = server.Url.ToString(),
                ["SNOWFLAKE_REQUESTS_IN_FLIGHT"] = inFlight.ToString(),
            }));
            MigrationRunner.Run(settings, RepositoryFolders.MigrationsNear(AppContext.BaseDirectory), false, _ => { });
            using var warehouse = SnowflakeWarehouse.Open(settings);
            var clock = Stopwatch.StartNew();
            var plan = DatasetLoader.Plan(warehouse, dataset.Folder, LoadMode.Recreate, null);
            var counts = DatasetLoader.Run(warehouse, plan, new Progress<string>(), CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            var client = warehouse.Client;
            Console.WriteLine($"{inFlight,9} {client.RequestsSent,9:N0} {client.BytesSent / 1e6,8:0.0} {client.MaxInFlight,13} {seconds,8:0.00} {counts.Inserted / seconds,10:N0}");
        }
    }
}
