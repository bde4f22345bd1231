using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FakeSnowflake;
using GameData.Settings;
using GameData.Warehouses;
using GameData.Warehouses.Snowflake;

namespace GameData.Tests.Snowflake;

/// <summary>A fake Snowflake, a key pair for it, and settings pointing at it.</summary>
public sealed class SnowflakeTestKit : IDisposable
{
    /// <summary>One key pair for every kit: making a 2048-bit key takes about 150 ms, and no test needs its own.</summary>
    private static readonly Lazy<string> KeyPem = new(() =>
    {
        using var key = RSA.Create(2048);
        return key.ExportPkcs8PrivateKeyPem();
    });

    private readonly TempFolder _folder = new();

    public SnowflakeTestKit(TimeSpan? latency = null, string account = "myorg-myaccount")
    {
        Server = new FakeSnowflakeServer(latency);
        KeyPath = _folder.File("rsa_key.p8");
        File.WriteAllText(KeyPath, KeyPem.Value);
        Values = new Dictionary<string, string?>
        {
            ["GAME_WAREHOUSE"] = "snowflake",
            ["SNOWFLAKE_ACCOUNT"] = account,
            ["SNOWFLAKE_USER"] = "course_loader",
            ["SNOWFLAKE_WAREHOUSE"] = "COMPUTE_WH",
            ["SNOWFLAKE_PRIVATE_KEY_PATH"] = KeyPath,
            ["SNOWFLAKE_API_URL"] = Server.Url.ToString(),
        };
    }

    public FakeSnowflakeServer Server { get; }
    public string KeyPath { get; }
    public Dictionary<string, string?> Values { get; }

    public WarehouseSettings Settings => WarehouseSettings.From(new SettingLayers().Add("test", Values));

    /// <summary>A client with fast retries, so retry tests take milliseconds.</summary>
    public SnowflakeStatementClient Client(int attempts = 4) =>
        new(Server.Url, Settings.Snowflake!.Credential(), Settings.Snowflake!.Context("RAW"), FastRetries(attempts));

    public SnowflakeWarehouse Warehouse(int attempts = 4) => new(Settings, Client(attempts));

    public static RetryPolicy FastRetries(int attempts) =>
        new(attempts, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(20));

    public static FakeResponse Ok(params string?[][] rows) =>
        new(200, FakeSnowflakeServer.Result(Guid.NewGuid().ToString(), ["A"], [.. rows]));

    public static FakeResponse Status(int status, string code, string message) =>
        new(status, new JsonObject { ["code"] = code, ["message"] = message });

    public void Dispose()
    {
        Server.Dispose();
        _folder.Dispose();
    }
}
