using GameData.Loading;
using GameData.Migrations;
using GameData.Tests.Loading;

namespace GameData.Tests.Snowflake;

/// <summary>
/// Reset and concurrent loads on the local Snowflake stand-in: targets made by zero-copy CLONE (the rows sent
/// once, for the seed), an existing target swapped whole with what else it held, and two loads into one schema
/// taking turns on the lock table.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class SnowflakeResetTests
{
    [Test]
    public void Targets_are_cloned_from_one_seed_not_loaded_again()
    {
        using var kit = new SnowflakeTestKit();
        var oneLoad = RowRequestsOfOneLoad();

        var result = CliRunner.Run(["reset", "--schema", "student01,student02,student03", "--players", "200", "--yes"], Environment(kit));

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        var requests = kit.Server.Requests;
        Assert.That(oneLoad, Is.Positive);
        Assert.That(RowRequests(kit), Is.EqualTo(oneLoad), "the rows went up once, for the seed");
        Assert.That(requests.Count(r => r.Statement?.Contains(" CLONE GAMEDATA_SEED_", StringComparison.Ordinal) == true), Is.EqualTo(3));
        foreach (var schema in new[] { "STUDENT01", "STUDENT02", "STUDENT03" })
        {
            Assert.That(kit.Server.Warehouse.Table($"{schema}.RAW_GAME_EVENTS"), Has.Count.EqualTo(23206), schema);
            Assert.That(kit.Server.Warehouse.Table($"{schema}._LOADS")!.Select(r => r[^1]), Is.EqualTo(new[] { "succeeded" }));
        }
        Assert.That(kit.Server.Warehouse.Schemas().Where(s => s.StartsWith("GAMEDATA_SEED_", StringComparison.Ordinal)), Is.Empty, "the seed is dropped");
    }

    [Test]
    public void An_existing_target_is_rebuilt_under_another_name_and_swapped_keeping_what_else_it_holds()
    {
        using var kit = new SnowflakeTestKit();
        var target = kit.Settings;
        MigrationRunner.Run(target, WarehouseTarget.MigrationsFolder, false, _ => { });
        Load(kit, TestDatasets.Small, LoadMode.Recreate);
        Load(kit, TestDatasets.Batch2, LoadMode.Append);
        kit.Server.Warehouse.Execute("CREATE TABLE RAW.NOTES (NOTE VARCHAR)", [], false);

        var result = CliRunner.Run(["reset", "--players", "200", "--yes"], Environment(kit));

        Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
        Assert.That(result.StdOut, Does.Contain("kept: NOTES"));
        Assert.That(kit.Server.Warehouse.Table("RAW_PLAYERS"), Has.Count.EqualTo(200), "batch 1 only");
        Assert.That(kit.Server.Warehouse.Table("NOTES"), Is.Not.Null, "what else the schema held is still there");
        Assert.That(kit.Server.Requests.Any(r => r.Statement == "ALTER SCHEMA RAW SWAP WITH " + r.Statement?.Split(' ')[^1]), Is.True, "swapped in one statement");
        Assert.That(kit.Server.Warehouse.Schemas(), Is.EquivalentTo(new[] { "RAW" }), "no schema left behind");
    }

    [Test]
    public void Two_loads_into_one_schema_at_once_take_turns_and_leave_no_duplicate_keys()
    {
        using var kit = new SnowflakeTestKit();
        MigrationRunner.Run(kit.Settings, WarehouseTarget.MigrationsFolder, false, _ => { });
        Load(kit, TestDatasets.Small, LoadMode.Recreate);
        // The first commit waits for an event, not a time: the other load finding the lock taken or, were there no
        // turns, reaching its own commit with a snapshot that misses the first one's rows.
        using var otherWaits = new ManualResetEventSlim();
        var commits = 0;
        kit.Server.Intercept = r =>
        {
            if (r.Statement?.StartsWith("SELECT HOLDER, SINCE", StringComparison.Ordinal) == true) otherWaits.Set();
            return null;
        };
        kit.Server.Warehouse.BeforeCommit = () =>
        {
            if (Interlocked.Increment(ref commits) == 1) otherWaits.Wait(TimeSpan.FromSeconds(60));
            else otherWaits.Set();
        };
        string[] append = ["load", "--mode", "append", "--data", TestDatasets.Batch2];

        using var first = CliRunner.Start(append, Environment(kit));
        using var second = CliRunner.Start(append, Environment(kit));
        var outputs = new[] { first, second }.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToArray();
        first.WaitForExit(120_000);
        second.WaitForExit(120_000);

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), outputs[0].Err.Result + outputs[1].Err.Result);
        var players = kit.Server.Warehouse.Table("RAW_PLAYERS")!;
        Assert.That(players, Has.Count.EqualTo(500));
        Assert.That(players.Select(r => r[0]).Distinct().Count(), Is.EqualTo(players.Count), "no duplicate keys");
        Assert.That(kit.Server.Warehouse.Table("RAW_GAME_EVENTS")!.Select(r => r[0]).Distinct().Count(), Is.EqualTo(56231));
        Assert.That(outputs[0].Out.Result + outputs[1].Out.Result, Does.Contain("holds the lock RAW._LOCK; waiting"), "the second one waited");
        Assert.That(kit.Server.Warehouse.Table("_LOCK")!.Single()[1], Is.Null, "released");
    }

    private static Dictionary<string, string?> Environment(SnowflakeTestKit kit) => kit.Values.ToDictionary(v => v.Key, v => v.Value);

    /// <summary>How many requests carrying rows one load of the small dataset sends, measured on a stand-in of its own.</summary>
    private static int RowRequestsOfOneLoad()
    {
        using var kit = new SnowflakeTestKit();
        MigrationRunner.Run(kit.Settings, WarehouseTarget.MigrationsFolder, false, _ => { });
        Load(kit, TestDatasets.Small, LoadMode.Recreate);
        return RowRequests(kit);
    }

    /// <summary>Requests that carry rows, whichever way the load staged them: SQL chunks or Snowpipe Streaming appends.</summary>
    private static int RowRequests(SnowflakeTestKit kit) => kit.Server.Requests.Count(r =>
        r.Statement?.Contains("FROM VALUES", StringComparison.Ordinal) == true || SnowflakeStreamingTests.IsAppend(r));

    private static void Load(SnowflakeTestKit kit, string data, LoadMode mode)
    {
        using var warehouse = kit.Warehouse();
        DatasetLoader.Run(warehouse, DatasetLoader.Plan(warehouse, data, mode, null), new Progress<string>(), CancellationToken.None);
    }
}
