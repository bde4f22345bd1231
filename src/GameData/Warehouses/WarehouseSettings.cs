using GameData.Migrations;
using GameData.Settings;

namespace GameData.Warehouses;

/// <summary>
/// Which warehouse to talk to and how: resolved once from the setting layers, the provider filling in what its
/// warehouse needs. <see cref="Describe"/> names the target without any secret.
/// </summary>
public sealed record WarehouseSettings(IWarehouseProvider Provider, string Schema, string DuckDbPath, string? PostgresConnectionString,
    Snowflake.SnowflakeSettings? Snowflake = null) : IMigratedSchema
{
    public static WarehouseSettings From(SettingLayers layers)
    {
        var provider = WarehouseRegistry.From(layers.Get("GAME_WAREHOUSE"));
        var given = layers.Get("GAME_SCHEMA") ?? (provider.SchemaVariable is { } variable ? layers.Get(variable) : null);
        var schema = given is null ? provider.Fold("raw") : SqlIdentifier.Schema(given.Text, provider, given.Describe());
        var duckDb = layers.Get("GAME_DUCKDB_PATH")?.Text
            ?? Path.Combine(RepositoryFolders.DefaultData(layers.BaseDirectory), "game_analytics.duckdb");
        return provider.Configure(new WarehouseSettings(provider, schema, layers.FullPath(duckDb), null), layers);
    }

    /// <summary>DuckDB's worker threads (<c>--duckdb-threads</c>); null: DuckDB's default, one per core.</summary>
    public int? DuckDbThreads { get; init; }

    /// <summary>The same target with another schema (checked and folded like any other).</summary>
    public WarehouseSettings WithSchema(string schema, string describe)
    {
        var folded = SqlIdentifier.Schema(schema, Provider, describe);
        return this with { Schema = folded, Snowflake = Snowflake is null ? null : Snowflake with { Schema = folded } };
    }

    /// <summary>The target in words, without secrets: <c>duckdb /path/file.duckdb (schema raw)</c>.</summary>
    public string Describe() => Provider.Describe(this);

    string IMigratedSchema.Dialect => Provider.Name;

    bool IMigratedSchema.MayBeMigrated => Provider.MayBeMigrated(this);

    MigrationTarget IMigratedSchema.Migrations() => Provider.Migrations(this);
}
