using System.Globalization;
using Npgsql;
using GameData.Settings;

namespace GameData.Warehouses;

public enum WarehouseKind { DuckDb, Postgres, Snowflake }

/// <summary>
/// Which warehouse to talk to and how: resolved once from the setting layers.
/// <see cref="Describe"/> names the target without any secret.
/// </summary>
public sealed record WarehouseSettings(WarehouseKind Kind, string Schema, string DuckDbPath, string? PostgresConnectionString,
    Snowflake.SnowflakeSettings? Snowflake = null)
{
    private static readonly string[] PostgresVariables = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSSLMODE"];

    public static WarehouseSettings From(SettingLayers layers)
    {
        var kind = KindFrom(layers.Get("GAME_WAREHOUSE"));
        var given = layers.Get("GAME_SCHEMA") ?? (kind == WarehouseKind.Snowflake ? layers.Get("SNOWFLAKE_SCHEMA") : null);
        var schema = given is null ? (kind == WarehouseKind.Snowflake ? "RAW" : "raw") : SqlIdentifier.Schema(given.Text, kind, given.Describe());
        var duckDb = layers.Get("GAME_DUCKDB_PATH")?.Text ?? Path.Combine(RepositoryFolders.DefaultData(layers.BaseDirectory), "game_analytics.duckdb");
        return new WarehouseSettings(kind, schema, layers.FullPath(duckDb), kind == WarehouseKind.Postgres ? PostgresConnection(layers) : null,
            kind == WarehouseKind.Snowflake ? GameData.Warehouses.Snowflake.SnowflakeSettings.From(layers, schema) : null);
    }

    public static WarehouseKind KindFrom(SettingValue? value) => value switch
    {
        null => WarehouseKind.DuckDb,
        { Text: var t } when t.Equals("duckdb", StringComparison.OrdinalIgnoreCase) => WarehouseKind.DuckDb,
        { Text: var t } when t.Equals("postgres", StringComparison.OrdinalIgnoreCase) || t.Equals("postgresql", StringComparison.OrdinalIgnoreCase) => WarehouseKind.Postgres,
        { Text: var t } when t.Equals("snowflake", StringComparison.OrdinalIgnoreCase) => WarehouseKind.Snowflake,
        _ => throw new SettingsException($"{value.Describe()} is not a known warehouse (known: duckdb, postgres, snowflake)"),
    };

    /// <summary>The same target with another schema (checked and folded like any other).</summary>
    public WarehouseSettings WithSchema(string schema, string describe)
    {
        var folded = SqlIdentifier.Schema(schema, Kind, describe);
        return this with { Schema = folded, Snowflake = Snowflake is null ? null : Snowflake with { Schema = folded } };
    }

    /// <summary>--postgres / GAME_POSTGRES, else the standard PG* variables.</summary>
    private static string PostgresConnection(SettingLayers layers)
    {
        NpgsqlConnectionStringBuilder builder;
        if (layers.Get("GAME_POSTGRES") is { } given)
            builder = PostgresConnectionStrings.Parse(given.Text, given.Source == "flags" ? "--postgres" : $"GAME_POSTGRES from {given.Source}");
        else
        {
            if (PostgresVariables.All(v => layers.Get(v) is null))
                throw new SettingsException("no PostgreSQL connection: give --postgres \"Host=...;Username=...;Password=...;Database=...\", set GAME_POSTGRES, or set PGHOST/PGUSER/PGPASSWORD/PGDATABASE");
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

    /// <summary>The target in words, without secrets: <c>duckdb /path/file.duckdb (schema raw)</c>.</summary>
    public string Describe() => Kind switch
    {
        WarehouseKind.DuckDb => $"duckdb {DuckDbPath} (schema {Schema})",
        WarehouseKind.Snowflake => Snowflake!.Describe(),
        _ => $"postgres {PostgresTarget()} (schema {Schema})",
    };

    public string PostgresTarget()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionString);
        // Without a user or a database Npgsql picks them itself: shown as absent rather than as an empty name.
        return $"{(string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@")}{b.Host}:{b.Port}{(string.IsNullOrEmpty(b.Database) ? "" : "/" + b.Database)}";
    }
}

/// <summary>Reads a PostgreSQL connection string, saying which part is wrong without ever echoing a value.</summary>
public static class PostgresConnectionStrings
{
    public static NpgsqlConnectionStringBuilder Parse(string text, string source)
    {
        try { return new NpgsqlConnectionStringBuilder(text); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new SettingsException($"the PostgreSQL connection string ({source}) is malformed: {Culprit(text)}");
        }
    }

    /// <summary>The first key=value part Npgsql refuses, named by its key only: the value may be a password.</summary>
    private static string Culprit(string text)
    {
        var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=');
            if (equals <= 0) return $"part {i + 1} is not key=value";
            var key = parts[i][..equals].Trim();
            try { _ = new NpgsqlConnectionStringBuilder(parts[i]); }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                return new NpgsqlConnectionStringBuilder().ContainsKey(key)
                    ? $"the value of '{key}' is not valid for it"
                    : $"'{key}' is not a keyword PostgreSQL connection strings know (e.g. Host, Port, Username, Password, Database, SSL Mode)";
            }
        }
        return "its quoting is unbalanced";
    }

    public static SslMode SslModeFrom(string text, string describe) =>
        Enum.TryParse<SslMode>(text.Replace("-", ""), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new SettingsException($"{describe} is not an SSL mode (disable, allow, prefer, require, verify-ca, verify-full)");
}
