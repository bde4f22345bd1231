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
/// A dataset loaded into the local stand-in server, with 100 ms added to every response (roughly a remote region), both
/// ways in the same run: over the SQL API (INSERT ... FROM VALUES) and through Snowpipe Streaming (gzip NDJSON), with 4
/// requests (channels per table) in flight. Requests, bytes sent per byte of CSV, wall time and the largest managed heap a
/// full collection left (sampled; the stand-in server's DuckDB lives in the same process, so the working set says little,
/// and it keeps no requests).
/// </summary>
public static class SnowflakeBench
{
    public static void Run(int[]? sizes = null, string[]? paths = null)
    {
        Console.WriteLine();
        paths ??= ["sql", "streaming"];
        Console.WriteLine($"snowflake benchmark: {(paths.Length > 1 ? "both ingest paths" : $"the {paths[0]} path")} to a local server " +
                          "adding 100 ms per response, 4 in flight");
        Console.WriteLine($"{"players",8} {"path",10} {"CSV MB",7} {"requests",9} {"MB sent",8} {"sent/CSV",8} {"wall s",7} {"rows/s",9} {"heap after GC MB",16}");
        foreach (var players in sizes ?? [GenerationSettings.Defaults.Players])
        {
            using var dataset = new BenchDataset("snowflake", players);
            foreach (var ingest in paths)
            {
                // A server of its own per run: its in-memory tables from the last run would weigh on this one.
                using var server = new FakeSnowflakeServer(TimeSpan.FromMilliseconds(100)) { KeepRequests = false };
                using var key = System.Security.Cryptography.RSA.Create(2048);
                var keyPath = Path.Combine(dataset.Folder, "bench_key.p8");
                File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
                var settings = WarehouseSettings.From(new SettingLayers().Add("bench", new Dictionary<string, string?>
                {
                    ["GAME_WAREHOUSE"] = "snowflake", ["SNOWFLAKE_ACCOUNT"] = "bench-account", ["SNOWFLAKE_USER"] = "bench",
                    ["SNOWFLAKE_PRIVATE_KEY_PATH"] = keyPath, ["SNOWFLAKE_API_URL"] = server.Url.ToString(),
                    ["SNOWFLAKE_REQUESTS_IN_FLIGHT"] = "4", ["SNOWFLAKE_INGEST"] = ingest,
                }));
                MigrationRunner.Run(settings, RepositoryFolders.MigrationsNear(AppContext.BaseDirectory), false, _ => { });
                using var warehouse = SnowflakeWarehouse.Open(settings);
                GC.Collect();
                var (requestsBefore, bytesBefore) = (warehouse.Client.RequestsSent, warehouse.Client.BytesSent);
                long peak = 0;
                // What each full collection left (live data and fragmentation): garbage not yet collected, large objects
                // included until a full collection, would measure the GC's pace.
                using var sampler = new Timer(_ => Max(ref peak, Math.Max(GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes,
                    GC.GetGCMemoryInfo(GCKind.Background).HeapSizeBytes)), null, 0, 20);
                var clock = Stopwatch.StartNew();
                var plan = DatasetLoader.Plan(warehouse, dataset.Folder, LoadMode.Recreate, null);
                var counts = DatasetLoader.Run(warehouse, plan, new Progress<string>(), CancellationToken.None);
                var seconds = clock.Elapsed.TotalSeconds;
                var streaming = warehouse.StreamingClient;
                var requests = warehouse.Client.RequestsSent - requestsBefore + (streaming?.RequestsSent ?? 0);
                var bytes = warehouse.Client.BytesSent - bytesBefore + (streaming?.BytesSent ?? 0);
                var csv = dataset.Megabytes * 1e6;
                Console.WriteLine($"{players,8:N0} {ingest,10} {csv / 1e6,7:0.0} {requests,9:N0} {bytes / 1e6,8:0.0} {bytes / csv,8:0.00} " +
                                  $"{seconds,7:0.0} {counts.Inserted / seconds,9:N0} {Interlocked.Read(ref peak) / 1e6,16:0}");
            }
        }
    }

    private static void Max(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
