using GameData.Settings;
using GameData.Warehouses;
using Npgsql;
using YamlDotNet.Core;
using Version = System.Version;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace GameData.Dbt;

/// <summary>
/// A <c>profiles.yml</c> for the warehouse just loaded, under the profile name the project asks for, with the
/// course's two targets: <c>dev</c> (schema <c>--dbt-schema</c>) and <c>ci</c> (schema <c>ci</c>). No secret is
/// written into it: secrets are referenced as <c>env_var('...')</c> and given to dbt in <see cref="Environment"/>.
/// Every string is double-quoted: dbt reads YAML 1.1 (PyYAML), where a plain <c>yes</c>, <c>on</c>, <c>~</c> or
/// <c>0123</c> would be a boolean, null or number.
/// </summary>
public sealed record DbtProfile(string Yaml, IReadOnlyDictionary<string, string> Environment)
{
    public const string PasswordVariable = "GAMEDATA_DBT_PASSWORD";
    public const string PassphraseVariable = "GAMEDATA_DBT_PRIVATE_KEY_PASSPHRASE";
    public const string TokenVariable = "GAMEDATA_DBT_TOKEN";
    public const string DevTarget = "dev";
    public const string CiTarget = "ci";
    private const int Threads = 4;

    /// <summary>dbt-snowflake takes <c>authenticator: programmatic_access_token</c> from this version on.</summary>
    private static readonly Version PatAuthenticatorSince = new(1, 12);

    /// <param name="snowflakeAdapter">The installed dbt-snowflake's version, when known.</param>
    public static DbtProfile For(string profileName, WarehouseSettings warehouse, string devSchema, Version? snowflakeAdapter = null)
    {
        var environment = new Dictionary<string, string>();
        var ciSchema = SqlIdentifier.Schema(CiTarget, warehouse.Kind, "the ci target's schema");
        var outputs = new Dictionary<string, object>
        {
            [DevTarget] = Output(warehouse, devSchema, environment, snowflakeAdapter),
            [CiTarget] = Output(warehouse, ciSchema, environment, snowflakeAdapter),
        };
        var profiles = new Dictionary<string, object>
        {
            [profileName] = new Dictionary<string, object> { ["target"] = DevTarget, ["outputs"] = outputs },
        };
        var yaml = "# Written by gamedata for the warehouse it loaded; secrets come from the environment (env_var).\n" +
                   new SerializerBuilder().WithEventEmitter(next => new QuotedStrings(next)).Build().Serialize(profiles);
        return new DbtProfile(yaml, environment);
    }

    private static Dictionary<string, object> Output(WarehouseSettings warehouse, string schema, Dictionary<string, string> environment, Version? snowflakeAdapter) =>
        warehouse.Kind switch
        {
            WarehouseKind.DuckDb => new() { ["type"] = "duckdb", ["path"] = warehouse.DuckDbPath, ["schema"] = schema, ["threads"] = Threads },
            WarehouseKind.Postgres => Postgres(warehouse, schema, environment),
            _ => Snowflake(warehouse, schema, environment, snowflakeAdapter),
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

    private static Dictionary<string, object> Snowflake(WarehouseSettings warehouse, string schema, Dictionary<string, string> environment, Version? adapter)
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
        else if (snowflake.Token is not null && (adapter is null || adapter < PatAuthenticatorSince))
        {
            // Before 1.12 dbt-snowflake drops a token without oauth or jwt; Snowflake takes a PAT in place of a password.
            environment[PasswordVariable] = snowflake.Token;
            output["password"] = EnvVar(PasswordVariable);
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

    /// <summary>Writes every string double-quoted; numbers stay plain.</summary>
    private sealed class QuotedStrings(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Type == typeof(string)) eventInfo.Style = ScalarStyle.DoubleQuoted;
            base.Emit(eventInfo, emitter);
        }
    }

    /// <summary>libpq's spelling: VerifyFull is verify-full.</summary>
    private static string SslMode(SslMode mode) => mode switch
    {
        Npgsql.SslMode.VerifyCA => "verify-ca",
        Npgsql.SslMode.VerifyFull => "verify-full",
        _ => mode.ToString().ToLowerInvariant(),
    };
}
