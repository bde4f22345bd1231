using GameData.Migrations;
using GameData.Loading;
using GameData.Settings;

namespace GameData.Warehouses;

/// <summary>
/// Everything one warehouse knows, behind one seam, as a dbt adapter: its settings and identifiers, its lock,
/// its DbUp wiring, the RAW schema's state and loads (<see cref="IWarehouse"/>), its reset and its dbt profile.
/// The rest of the code asks the provider and never which one it has; <see cref="WarehouseRegistry"/> maps a
/// name to one.
/// </summary>
public interface IWarehouseProvider
{
    /// <summary>The name GAME_WAREHOUSE gives (lower case); also the folder of its migrations.</summary>
    string Name { get; }

    /// <summary>A schema setting of its own, read when GAME_SCHEMA is not given (Snowflake: SNOWFLAKE_SCHEMA).</summary>
    string? SchemaVariable => null;

    /// <summary>An unquoted identifier as the warehouse stores it (lower case; Snowflake: upper case).</summary>
    string Fold(string identifier) => identifier.ToLowerInvariant();

    /// <summary>Reads what the warehouse needs besides the schema (a connection string, an account) from the layers.</summary>
    WarehouseSettings Configure(WarehouseSettings settings, SettingLayers layers);

    /// <summary>The target in one line, without secrets.</summary>
    string Describe(WarehouseSettings settings);

    /// <summary>False when the target certainly holds no RAW schema (a DuckDB file not made yet): nothing is opened, nor created.</summary>
    bool MayBeMigrated(WarehouseSettings settings) => true;

    /// <summary>Opens the target holding its lock until disposed; <paramref name="waiting"/> hears about waits for it.</summary>
    IWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout);

    /// <summary>What a migration holds throughout, so that no load runs halfway through it; null: nothing.</summary>
    IDisposable? LockForMigration(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout);

    /// <summary>What a dbt run holds throughout (DuckDB: the file, which one process at a time may open); null: nothing.</summary>
    IDisposable? LockForDbt(WarehouseSettings settings, Action<string> log, TimeSpan lockTimeout) => null;

    /// <summary>DbUp wired for the warehouse: connection manager, checksum journal, script executor.</summary>
    MigrationTarget Migrations(WarehouseSettings settings);

    /// <summary>
    /// Targets of one group are reset from one seed (one per DuckDB schema name, PostgreSQL database, Snowflake account).
    /// </summary>
    string ResetGroup(WarehouseSettings settings);

    /// <summary>The warehouse's way of resetting: a seed loaded once, copied into each target by the warehouse itself.</summary>
    IResetStrategy ResetStrategy(WarehouseSettings settings, ResetOptions options, Action<string> log);

    /// <summary>A target per file in a folder (reset's --duckdb-dir); null when the warehouse keeps no files.</summary>
    WarehouseSettings? InFolder(WarehouseSettings settings, string folder, string name) => null;

    /// <summary>
    /// The settings a row of a reset's targets file gives: its connection cell (relative to <paramref name="folder"/>),
    /// its secret (named by password_env), after what it inherits from <paramref name="layers"/>.
    /// </summary>
    IEnumerable<KeyValuePair<string, string?>> TargetSettings(string connection, string? secret, string row, string folder,
        SettingLayers layers);

    /// <summary>dbt's adapter package and what to install with it, e.g. <c>dbt-duckdb 'duckdb&gt;=1.0,&lt;1.6'</c>.</summary>
    string DbtAdapter { get; }

    string DbtInstall => DbtAdapter;

    /// <summary>One output of profiles.yml; secrets go into <paramref name="environment"/> and are referenced by env_var.</summary>
    /// <param name="adapter">The installed adapter's version, when known.</param>
    Dictionary<string, object> DbtOutput(WarehouseSettings settings, string schema, IDictionary<string, string> environment,
        Version? adapter);
}
