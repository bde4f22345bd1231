using GameData.Migrations;
using GameData.Loading;
using GameData.Settings;

namespace GameData.Warehouses.Snowflake;

/// <summary>Snowflake over its SQL API: a schema of a database, names stored in upper case.</summary>
public sealed class SnowflakeProvider : IWarehouseProvider
{
    public static readonly SnowflakeProvider Instance = new();

    /// <summary>dbt-snowflake takes <c>authenticator: programmatic_access_token</c> from this version on.</summary>
    private static readonly Version PatAuthenticatorSince = new(1, 12);

    /// <summary>A targets file's Snowflake row takes the user, context and key from the usual settings.</summary>
    private static readonly string[] Inherited = ["SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_WAREHOUSE", "SNOWFLAKE_DATABASE",
        "SNOWFLAKE_ROLE", "SNOWFLAKE_PRIVATE_KEY_PATH", "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", "SNOWFLAKE_TOKEN", "SNOWFLAKE_OAUTH_TOKEN",
        "SNOWFLAKE_API_URL"];

    public string Name => "snowflake";

    public string? SchemaVariable => "SNOWFLAKE_SCHEMA";

    public string Fold(string identifier) => identifier.ToUpperInvariant();

    public WarehouseSettings Configure(WarehouseSettings settings, SettingLayers layers) =>
        settings with { Snowflake = SnowflakeSettings.From(layers, settings.Schema) };

    public string Describe(WarehouseSettings settings) => settings.Snowflake!.Describe();

    public IWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) =>
        SnowflakeWarehouse.Open(settings, lockTimeout: lockTimeout, waiting: waiting);

    /// <summary>Nothing: scripts are written to be re-run, and the final transaction of a load checks the lock again.</summary>
    public IDisposable? LockForMigration(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) => null;

    /// <summary>
    /// Without a DbUp transaction: the SQL API cannot hold one across requests, and Snowflake commits DDL at once anyway.
    /// </summary>
    public MigrationTarget Migrations(WarehouseSettings settings)
    {
        var client = SnowflakeWarehouse.Open(settings);
        return new MigrationTarget(DbUp.DeployChanges.To.SnowflakeDatabase(client.Client, settings.Schema).WithoutTransaction(),
            "Snowflake commits DDL as it goes, so scripts are written to be re-run", client)
        {
            IsWarehouseError = e => e is System.Data.Common.DbException or SnowflakeException,
        };
    }

    public string ResetGroup(WarehouseSettings settings) =>
        $"snowflake:{settings.Snowflake!.Account.Host}/{settings.Snowflake.Database}/{settings.Snowflake.User}";

    public IResetStrategy ResetStrategy(WarehouseSettings settings, ResetOptions options, Action<string> log) =>
        new SnowflakeReset(settings, options);

    public IEnumerable<KeyValuePair<string, string?>> TargetSettings(string connection, string? secret, string row, string folder,
        SettingLayers layers)
    {
        var values = Inherited.Select(key => new KeyValuePair<string, string?>(key, layers.Get(key)?.Text)).ToList();
        if (connection.Length > 0) values.Add(new("SNOWFLAKE_ACCOUNT", connection));
        if (secret is not null) values.Add(new("SNOWFLAKE_TOKEN", secret));
        return values;
    }

    public string DbtAdapter => "dbt-snowflake";

    public Dictionary<string, object> DbtOutput(WarehouseSettings settings, string schema, IDictionary<string, string> environment,
        Version? adapter)
    {
        var snowflake = settings.Snowflake!;
        var output = new Dictionary<string, object>
        {
            ["type"] = "snowflake",
            ["account"] = snowflake.Account.Host.Replace(".snowflakecomputing.com", "", StringComparison.OrdinalIgnoreCase),
            ["user"] = snowflake.User ?? throw new SettingsException("set SNOWFLAKE_USER: dbt-snowflake needs the user name"),
        };
        if (snowflake.Role is not null) output["role"] = snowflake.Role;
        if (snowflake.Warehouse is not null) output["warehouse"] = snowflake.Warehouse;
        output["database"] = snowflake.Database;
        output["schema"] = schema;
        if (snowflake.PrivateKeyPath is not null)
        {
            output["private_key_path"] = Path.GetFullPath(snowflake.PrivateKeyPath);
            if (snowflake.PrivateKeyPassphrase is { } passphrase)
            {
                environment[DbtOutputs.PassphraseVariable] = passphrase;
                output["private_key_passphrase"] = DbtOutputs.EnvVar(DbtOutputs.PassphraseVariable);
            }
        }
        else if (snowflake.Token is not null && (adapter is null || adapter < PatAuthenticatorSince))
        {
            // Before 1.12 dbt-snowflake drops a token without oauth or jwt; Snowflake takes a PAT in place of a password.
            environment[DbtOutputs.PasswordVariable] = snowflake.Token;
            output["password"] = DbtOutputs.EnvVar(DbtOutputs.PasswordVariable);
        }
        else
        {
            environment[DbtOutputs.TokenVariable] = snowflake.Token ?? snowflake.OAuthToken!;
            output["authenticator"] = snowflake.Token is not null ? "programmatic_access_token" : "oauth";
            output["token"] = DbtOutputs.EnvVar(DbtOutputs.TokenVariable);
        }
        output["threads"] = DbtOutputs.Threads;
        return output;
    }
}
