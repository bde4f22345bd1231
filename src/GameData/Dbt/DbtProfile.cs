using GameData.Settings;
using GameData.Warehouses;
using Npgsql;
using YamlDotNet.Serialization;

namespace GameData.Dbt;

/// <summary>
/// A <c>profiles.yml</c> for the warehouse just loaded, under the profile name the project asks for, with the
/// course's two targets: <c>dev</c> (schema <c>--dbt-schema</c>) and <c>ci</c> (schema <c>ci</c>). No secret is
/// written into it: secrets are referenced as <c>env_var('...')</c> and given to dbt in <see cref="Environment"/>.
/// </summary>
public sealed record DbtProfile(string Yaml, IReadOnlyDictionary<string, string> Environment)
{
    public const string PasswordVariable = "GAMEDATA_DBT_PASSWORD";
    public const string PassphraseVariable = "GAMEDATA_DBT_PRIVATE_KEY_PASSPHRASE";
    public const string TokenVariable = "GAMEDATA_DBT_TOKEN";
    public const string DevTarget = "dev";
    public const string CiTarget = "ci";
    private const int Threads = 4;

    public static DbtProfile For(string profileName, WarehouseSettings warehouse, string devSchema)
    {
        var environment = new Dictionary<string, string>();
        var ciSchema = SqlIdentifier.Schema(CiTarget, warehouse.Kind, "the ci target's schema");
        var outputs = new Dictionary<string, object>
        {
            [DevTarget] = Output(warehouse, devSchema, environment),
            [CiTarget] = Output(warehouse, ciSchema, environment),
        };
        var profiles = new Dictionary<string, object>
        {
            [profileName] = new Dictionary<string, object> { ["target"] = DevTarget, ["outputs"] = outputs },
        };
        var yaml = "# Written by gamedata for the warehouse it loaded; secrets come from the environment (env_var).\n" +
                   new SerializerBuilder().Build().Serialize(profiles);
        return new DbtProfile(yaml, environment);
    }

    private static Dictionary<string, object> Output(WarehouseSettings warehouse, string schema, Dictionary<string, string> environment) => warehouse.Kind switch
    {
        WarehouseKind.DuckDb => new() { ["type"] = "duckdb", ["path"] = warehouse.DuckDbPath, ["schema"] = schema, ["threads"] = Threads },
        WarehouseKind.Postgres => Postgres(warehouse, schema, environment),
        _ => Snowflake(warehouse, schema, environment),
    };

    private static Dictionary<string, object> Postgres(WarehouseSettings warehouse, string schema, Dictionary<string, string> environment)
    {
        var connection = new NpgsqlConnectionStringBuilder(warehouse.PostgresConnectionString);
        environment[PasswordVariable] = connection.Password ?? "";
        return new()
        {
            ["type"] = "postgres",
            ["host"] = connection.Host ?? "localhost",
            ["port"] = connection.Port,
            ["user"] = connection.Username ?? "",
            ["password"] = EnvVar(PasswordVariable),
            ["dbname"] = connection.Database ?? connection.Username ?? "",
            ["schema"] = schema,
            ["sslmode"] = SslMode(connection.SslMode),
            // The Snowflake functions MigrateRaw installs live in public, or in the RAW schema when this role may
            // not create in public: either way unqualified calls find them.
            ["search_path"] = $"{schema},{warehouse.Schema},public",
            ["threads"] = Threads,
        };
    }

    private static Dictionary<string, object> Snowflake(WarehouseSettings warehouse, string schema, Dictionary<string, string> environment)
    {
        var snowflake = warehouse.Snowflake!;
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
                environment[PassphraseVariable] = passphrase;
                output["private_key_passphrase"] = EnvVar(PassphraseVariable);
            }
        }
        else
        {
            environment[TokenVariable] = snowflake.Token ?? snowflake.OAuthToken!;
            output["authenticator"] = snowflake.Token is not null ? "programmatic_access_token" : "oauth";
            output["token"] = EnvVar(TokenVariable);
        }
        output["threads"] = Threads;
        return output;
    }

    private static string EnvVar(string name) => $"{{{{ env_var('{name}') }}}}";

    /// <summary>libpq's spelling: VerifyFull is verify-full.</summary>
    private static string SslMode(SslMode mode) => mode switch
    {
        Npgsql.SslMode.VerifyCA => "verify-ca",
        Npgsql.SslMode.VerifyFull => "verify-full",
        _ => mode.ToString().ToLowerInvariant(),
    };
}
