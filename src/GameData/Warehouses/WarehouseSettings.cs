using System.Text.RegularExpressions;
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
    public static readonly IReadOnlyDictionary<string, string> FlagsByKey = new Dictionary<string, string>
    {
        ["GAME_WAREHOUSE"] = "--warehouse",
        ["GAME_SCHEMA"] = "--schema",
        ["GAME_DUCKDB_PATH"] = "--duckdb",
        ["GAME_POSTGRES"] = "--postgres",
    };

    private static readonly string[] PostgresVariables = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSSLMODE"];

    public static WarehouseSettings From(SettingLayers layers)
    {
        var kind = layers.Get("GAME_WAREHOUSE") switch
        {
            null => WarehouseKind.DuckDb,
            { Text: var t } when t.Equals("duckdb", StringComparison.OrdinalIgnoreCase) => WarehouseKind.DuckDb,
            { Text: var t } when t.Equals("postgres", StringComparison.OrdinalIgnoreCase) || t.Equals("postgresql", StringComparison.OrdinalIgnoreCase) => WarehouseKind.Postgres,
            { Text: var t } when t.Equals("snowflake", StringComparison.OrdinalIgnoreCase) => WarehouseKind.Snowflake,
            { } other => throw new SettingsException($"{other.Describe("--warehouse")} is not a known warehouse (known: duckdb, postgres, snowflake)"),
        };
        var schema = layers.Get("GAME_SCHEMA")?.Text ?? (kind == WarehouseKind.Snowflake ? layers.Get("SNOWFLAKE_SCHEMA")?.Text ?? "RAW" : "raw");
        if (!Regex.IsMatch(schema, "^[A-Za-z_][A-Za-z0-9_]{0,62}$"))
            throw new SettingsException($"{layers.Get("GAME_SCHEMA")!.Describe("--schema")} is not a plain SQL identifier (letters, digits, _)");
        var duckDb = layers.Get("GAME_DUCKDB_PATH")?.Text ?? Path.Combine(RepositoryFolders.DefaultData(), "game_analytics.duckdb");
        return new WarehouseSettings(kind, schema, Path.GetFullPath(duckDb), kind == WarehouseKind.Postgres ? PostgresConnection(layers) : null,
            kind == WarehouseKind.Snowflake ? GameData.Warehouses.Snowflake.SnowflakeSettings.From(layers, schema) : null);
    }

    /// <summary>--postgres / GAME_POSTGRES, else the standard PG* variables.</summary>
    private static string PostgresConnection(SettingLayers layers)
    {
        NpgsqlConnectionStringBuilder builder;
        if (layers.Get("GAME_POSTGRES") is { } given)
        {
            try { builder = new NpgsqlConnectionStringBuilder(given.Text); }
            catch (ArgumentException e)
            {
                // The message must not echo the string: it may hold a password.
                throw new SettingsException($"the PostgreSQL connection string ({(given.Source == "flags" ? "--postgres" : $"GAME_POSTGRES from {given.Source}")}) is malformed: {e.Message.Split('\'')[0].Trim()}");
            }
        }
        else
        {
            if (PostgresVariables.All(v => layers.Get(v) is null))
                throw new SettingsException("no PostgreSQL connection: give --postgres \"Host=...;Username=...;Password=...;Database=...\", set GAME_POSTGRES, or set PGHOST/PGUSER/PGPASSWORD/PGDATABASE");
            builder = new NpgsqlConnectionStringBuilder
            {
                Host = layers.Get("PGHOST")?.Text ?? "localhost",
                Port = int.TryParse(layers.Get("PGPORT")?.Text, out var port) ? port : 5432,
                Database = layers.Get("PGDATABASE")?.Text,
                Username = layers.Get("PGUSER")?.Text,
                Password = layers.Get("PGPASSWORD")?.Text,
            };
            if (layers.Get("PGSSLMODE")?.Text is { } ssl && Enum.TryParse<SslMode>(ssl.Replace("-", ""), true, out var mode)) builder.SslMode = mode;
        }
        builder.ApplicationName ??= "gamedata";
        builder.Timeout = builder.Timeout == 15 ? 10 : builder.Timeout;
        return builder.ConnectionString;
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
        return $"{b.Username}@{b.Host}:{b.Port}/{b.Database}";
    }
}
