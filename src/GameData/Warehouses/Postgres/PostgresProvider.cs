using GameData.Loading;
using System.Globalization;
using DbUp;
using DbUp.Postgresql;
using GameData.Migrations;
using GameData.Settings;
using Npgsql;

namespace GameData.Warehouses.Postgres;

/// <summary>PostgreSQL through Npgsql: a schema of a database, reached by a connection string.</summary>
public sealed class PostgresProvider : IWarehouseProvider
{
    public static readonly PostgresProvider Instance = new();
    private static readonly string[] PostgresVariables = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSSLMODE"];

    public string Name => "postgres";

    public WarehouseSettings Configure(WarehouseSettings settings, SettingLayers layers) =>
        settings with { PostgresConnectionString = Connection(layers) };

    public string Describe(WarehouseSettings settings) => $"postgres {Target(settings)} (schema {settings.Schema})";

    /// <summary>The server, user and database, e.g. <c>me@db:5432/course</c>: never the password.</summary>
    public static string Target(WarehouseSettings settings)
    {
        var b = new NpgsqlConnectionStringBuilder(settings.PostgresConnectionString);
        // Without a user or a database Npgsql picks them itself: shown as absent rather than as an empty name.
        return $"{(string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@")}{b.Host}:{b.Port}" +
            $"{(string.IsNullOrEmpty(b.Database) ? "" : "/" + b.Database)}";
    }

    public IWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) =>
        PostgresWarehouse.Open(settings, lockTimeout, waiting);

    /// <summary>The schema's lock, as a load takes it; taking it first also gives a clear error for an unreachable server.</summary>
    public IDisposable? LockForMigration(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) =>
        PostgresWarehouse.Open(settings, lockTimeout, waiting);

    public MigrationTarget Migrations(WarehouseSettings settings)
    {
        var builder = DeployChanges.To.PostgresqlDatabase(settings.PostgresConnectionString, settings.Schema);
        builder.Configure(c => c.Journal = new ChecksumTableJournal(() => c.ConnectionManager, () => c.Log, new PostgresqlObjectParser(),
            settings.Schema, ChecksumTableJournal.TableName, "@"));
        return new MigrationTarget(builder.WithTransaction()) { UpgradeLock = () => DatabaseLock(settings) };
    }

    /// <summary>
    /// The Snowflake functions go into public, shared by every schema of the database, and two migrations
    /// replacing them at once fail one another ("tuple concurrently updated"). So migrations into one database
    /// take turns on a session advisory lock, held on a connection of its own until the upgrade has committed.
    /// Migrations are quick (tens of milliseconds); loads do not take this lock.
    /// </summary>
    private static IDisposable DatabaseLock(WarehouseSettings warehouse)
    {
        var connection = new NpgsqlConnection(warehouse.PostgresConnectionString);
        try
        {
            connection.Open();
            using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('gamedata:migrations'))", connection)
                { CommandTimeout = 0 })
                command.ExecuteNonQuery();
            return new LockRelease(connection);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            connection.Dispose();
            throw new MigrationException(PostgresWarehouse.Explain(e, warehouse), e);
        }
    }

    /// <summary>Unlocks before the connection goes back to the pool, where a session keeps its advisory locks.</summary>
    private sealed class LockRelease(NpgsqlConnection connection) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                using var command = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                command.ExecuteNonQuery();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { /* the session is gone, and its lock with it */ }
            connection.Dispose();
        }
    }

    public string ResetGroup(WarehouseSettings settings)
    {
        var b = new NpgsqlConnectionStringBuilder(settings.PostgresConnectionString);
        return $"postgres:{b.Username}@{b.Host}:{b.Port}/{b.Database}";
    }

    public IResetStrategy ResetStrategy(WarehouseSettings settings, ResetOptions options, Action<string> log) =>
        new PostgresReset(settings, options, log);

    public IEnumerable<KeyValuePair<string, string?>> TargetSettings(string connection, string? secret, string row, string folder,
        SettingLayers layers)
    {
        var parsed = PostgresConnectionStrings.Parse(connection, row);
        if (!string.IsNullOrEmpty(parsed.Password))
            throw new SettingsException(
                $"{row}: the connection string holds a password; put it in an environment variable and name it in password_env");
        parsed.Password = secret;
        return [new("GAME_POSTGRES", parsed.ConnectionString)];
    }

    public string DbtAdapter => "dbt-postgres";

    public Dictionary<string, object> DbtOutput(WarehouseSettings settings, string schema, IDictionary<string, string> environment,
        Version? adapter)
    {
        var connection = new NpgsqlConnectionStringBuilder(settings.PostgresConnectionString);
        environment[DbtOutputs.PasswordVariable] = connection.Password ?? "";
        return new()
        {
            ["type"] = "postgres",
            ["host"] = connection.Host ?? "localhost",
            ["port"] = connection.Port,
            ["user"] = connection.Username ?? "",
            ["password"] = DbtOutputs.EnvVar(DbtOutputs.PasswordVariable),
            ["dbname"] = connection.Database ?? connection.Username ?? "",
            ["schema"] = schema,
            ["sslmode"] = SslMode(connection.SslMode),
            // The Snowflake functions MigrateRaw installs live in public, or in the RAW schema when this role may
            // not create in public: either way unqualified calls find them.
            ["search_path"] = $"{schema},{settings.Schema},public",
            ["threads"] = DbtOutputs.Threads,
        };
    }

    /// <summary>libpq's spelling: VerifyFull is verify-full.</summary>
    private static string SslMode(SslMode mode) => mode switch
    {
        Npgsql.SslMode.VerifyCA => "verify-ca",
        Npgsql.SslMode.VerifyFull => "verify-full",
        _ => mode.ToString().ToLowerInvariant(),
    };

    /// <summary>--postgres / GAME_POSTGRES, else the standard PG* variables.</summary>
    private static string Connection(SettingLayers layers)
    {
        NpgsqlConnectionStringBuilder builder;
        if (layers.Get("GAME_POSTGRES") is { } given)
            builder = PostgresConnectionStrings.Parse(given.Text,
                given.Source == "flags" ? "--postgres" : $"GAME_POSTGRES from {given.Source}");
        else
        {
            if (PostgresVariables.All(v => layers.Get(v) is null))
                throw new SettingsException("no PostgreSQL connection: give --postgres " +
                    "\"Host=...;Username=...;Password=...;Database=...\", set GAME_POSTGRES, or set PGHOST/PGUSER/PGPASSWORD/PGDATABASE");
            builder = new NpgsqlConnectionStringBuilder
            {
                Host = layers.Get("PGHOST")?.Text ?? "localhost",
                Port = Port(layers.Get("PGPORT")),
                Database = layers.Get("PGDATABASE")?.Text,
                Username = layers.Get("PGUSER")?.Text,
                Password = layers.Get("PGPASSWORD")?.Text,
            };
            if (layers.Get("PGSSLMODE") is { } ssl) builder.SslMode = PostgresConnectionStrings.SslModeFrom(ssl.Text, ssl.Describe());
        }
        builder.ApplicationName ??= "gamedata";
        builder.Timeout = builder.Timeout == 15 ? 10 : builder.Timeout;
        return builder.ConnectionString;
    }

    private static int Port(SettingValue? value)
    {
        if (value is null) return 5432;
        if (!int.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new SettingsException($"{value.Describe()} is not a port number (1 to 65535)");
        return port;
    }
}
