using GameData.Loading;
using GameData.Migrations;
using GameData.Settings;
using GameData.Tests.Loading;
using GameData.Warehouses;

namespace GameData.Tests.Snowflake;

/// <summary>
/// The whole chain against a real Snowflake account, in a throw-away schema. Runs only when the account's
/// credentials are set (SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_WAREHOUSE and one of
/// SNOWFLAKE_PRIVATE_KEY_PATH, SNOWFLAKE_TOKEN, SNOWFLAKE_OAUTH_TOKEN); skipped with that reason otherwise.
/// Run alone with: dotnet test --filter TestCategory=SnowflakeLive
/// </summary>
[Category("SnowflakeLive")]
[NonParallelizable]
public class SnowflakeLiveTests
{
    private WarehouseSettings _settings = null!;

    [OneTimeSetUp]
    public void RequireAccount()
    {
        string[] keys = ["SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_WAREHOUSE", "SNOWFLAKE_DATABASE", "SNOWFLAKE_ROLE",
                         "SNOWFLAKE_PRIVATE_KEY_PATH", "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", "SNOWFLAKE_TOKEN", "SNOWFLAKE_OAUTH_TOKEN"];
        var values = keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        if (values["SNOWFLAKE_ACCOUNT"] is null || (values["SNOWFLAKE_PRIVATE_KEY_PATH"] ?? values["SNOWFLAKE_TOKEN"] ?? values["SNOWFLAKE_OAUTH_TOKEN"]) is null)
            Assert.Ignore("Snowflake live tests skipped: set SNOWFLAKE_ACCOUNT and a credential (SNOWFLAKE_PRIVATE_KEY_PATH, SNOWFLAKE_TOKEN or SNOWFLAKE_OAUTH_TOKEN) to run them");
        values["GAME_WAREHOUSE"] = "snowflake";
        values["GAME_SCHEMA"] = $"GAMEDATA_LIVE_{Guid.NewGuid():N}"[..30].ToUpperInvariant();
        _settings = WarehouseSettings.From(new SettingLayers().Add("environment", values));
    }

    [OneTimeTearDown]
    public void DropSchema()
    {
        if (_settings is null) return;
        using var warehouse = (GameData.Warehouses.Snowflake.SnowflakeWarehouse)Warehouse.Open(_settings, _ => { }, TimeSpan.FromMinutes(1));
        warehouse.Client.ExecuteAsync($"DROP SCHEMA IF EXISTS {_settings.Schema}").GetAwaiter().GetResult();
        warehouse.Client.ExecuteAsync($"DROP SCHEMA IF EXISTS {_settings.Schema}_S").GetAwaiter().GetResult();
    }

    [Test]
    public void A_streaming_load_on_a_real_account()
    {
        if (_settings.Snowflake!.PrivateKeyPath is null && _settings.Snowflake.OAuthToken is null)
            Assert.Ignore("Snowpipe Streaming needs a key pair (SNOWFLAKE_PRIVATE_KEY_PATH) or an OAuth token");
        var settings = _settings with
        {
            Schema = $"{_settings.Schema}_S",
            Snowflake = _settings.Snowflake with { Schema = $"{_settings.Schema}_S", Ingest = GameData.Warehouses.Snowflake.SnowflakeIngest.Streaming },
        };
        MigrationRunner.Run(settings, WarehouseTarget.MigrationsFolder, false, TestContext.Progress.WriteLine);
        using var warehouse = Warehouse.Open(settings, _ => { }, TimeSpan.FromMinutes(1));
        var lines = new List<string>();
        var steps = new Progress<string>(lines.Add);

        var first = DatasetLoader.Run(warehouse, DatasetLoader.Plan(warehouse, TestDatasets.Small, LoadMode.Recreate, null), steps, CancellationToken.None);

        Assert.That((first.Players.Inserted, first.Sessions.Inserted, first.Events.Inserted), Is.EqualTo((200L, 622L, 23206L)));
        var batch2 = DatasetLoader.Run(warehouse, DatasetLoader.Plan(warehouse, TestDatasets.Batch2, LoadMode.Append, null), steps, CancellationToken.None);
        Assert.That(batch2.Players.Inserted, Is.EqualTo(300));
        Assert.That(((GameData.Warehouses.Snowflake.SnowflakeWarehouse)warehouse).StreamingClient, Is.Not.Null, "the load streamed");
    }

    [Test]
    public void Migrate_load_append_and_batch_2_on_a_real_account()
    {
        Assert.That(MigrationRunner.Run(_settings, WarehouseTarget.MigrationsFolder, false, TestContext.Progress.WriteLine).Pending, Has.Count.EqualTo(1));
        Assert.That(MigrationRunner.Run(_settings, WarehouseTarget.MigrationsFolder, false, _ => { }).Pending, Is.Empty);
        using var warehouse = Warehouse.Open(_settings, _ => { }, TimeSpan.FromMinutes(1));

        var first = DatasetLoader.Run(warehouse, DatasetLoader.Plan(warehouse, TestDatasets.Small, LoadMode.Recreate, null), new Progress<string>(), CancellationToken.None);
        Assert.That((first.Players.Inserted, first.Sessions.Inserted, first.Events.Inserted), Is.EqualTo((200L, 622L, 23206L)));
        var again = DatasetLoader.Run(warehouse, DatasetLoader.Plan(warehouse, TestDatasets.Small, LoadMode.Append, null), new Progress<string>(), CancellationToken.None);
        Assert.That(again.Inserted, Is.Zero);
        var batch2 = DatasetLoader.Run(warehouse, DatasetLoader.Plan(warehouse, TestDatasets.Batch2, LoadMode.Append, null), new Progress<string>(), CancellationToken.None);
        Assert.That(batch2.Players.Inserted, Is.EqualTo(300));
        Assert.That(warehouse.ReadState()!.HighestBatch, Is.EqualTo(2));
    }
}
