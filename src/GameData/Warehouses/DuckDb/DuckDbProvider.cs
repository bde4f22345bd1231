using System.Globalization;
using GameData.Migrations;
using GameData.Loading;
using GameData.Settings;

namespace GameData.Warehouses.DuckDb;

/// <summary>
/// The embedded default: a DuckDB file. Only MigrateRaw creates one; for anything else a missing file means
/// "never migrated".
/// </summary>
public sealed class DuckDbProvider : IWarehouseProvider
{
    public static readonly DuckDbProvider Instance = new();

    /// <summary>The Python duckdb whose files gamedata's DuckDB (1.5) reads back: dbt-duckdb alone may bring a newer one.</summary>
    public const string DuckDbPin = "duckdb>=1.0,<1.6";

    public string Name => "duckdb";

    public WarehouseSettings Configure(WarehouseSettings settings, SettingLayers layers) =>
        settings with { DuckDbThreads = Threads(layers.Get("GAME_DUCKDB_THREADS")) };

    private static int? Threads(SettingValue? value) =>
        value is null ? null
        : int.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var threads) && threads > 0 ? threads
        : throw new SettingsException($"{value.Describe()} is not a whole number greater than 0");

    public string Describe(WarehouseSettings settings) => $"duckdb {settings.DuckDbPath} (schema {settings.Schema})";

    public bool MayBeMigrated(WarehouseSettings settings) => File.Exists(settings.DuckDbPath);

    public IWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) => MayBeMigrated(settings)
        ? DuckDbWarehouse.Open(settings, waiting, lockTimeout)
        : throw new WarehouseException($"there is no DuckDB file at {settings.DuckDbPath}; run MigrateRaw first (gamedata migrate)");

    public IDisposable? LockForMigration(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) =>
        DuckDbFile.Lock(settings.DuckDbPath, waiting, lockTimeout);

    /// <summary>dbt opens the file itself; one process at a time may write it.</summary>
    public IDisposable? LockForDbt(WarehouseSettings settings, Action<string> log, TimeSpan lockTimeout) =>
        DuckDbFile.Lock(settings.DuckDbPath, log, lockTimeout);

    public MigrationTarget Migrations(WarehouseSettings settings) =>
        new(DbUp.DeployChanges.To.DuckDbDatabase(DuckDbFile.ConnectionString(settings.DuckDbPath, settings.DuckDbThreads), settings.Schema)
            .WithTransaction());

    public string ResetGroup(WarehouseSettings settings) => $"duckdb:{settings.Schema}";

    public IResetStrategy ResetStrategy(WarehouseSettings settings, ResetOptions options, Action<string> log) =>
        new DuckDbReset(settings, options, log);

    /// <summary>One file per target in a folder (reset's --duckdb-dir).</summary>
    public WarehouseSettings? InFolder(WarehouseSettings settings, string folder, string name) =>
        settings with { DuckDbPath = Path.GetFullPath(Path.Combine(folder, $"{name}.duckdb")) };

    public IEnumerable<KeyValuePair<string, string?>> TargetSettings(string connection, string? secret, string row, string folder,
        SettingLayers layers) =>
        [new("GAME_DUCKDB_PATH", Path.Combine(folder, connection))];

    public string DbtAdapter => "dbt-duckdb";

    public string DbtInstall => $"{DbtAdapter} '{DuckDbPin}'";

    public Dictionary<string, object> DbtOutput(WarehouseSettings settings, string schema, IDictionary<string, string> environment,
        Version? adapter) =>
        new() { ["type"] = "duckdb", ["path"] = settings.DuckDbPath, ["schema"] = schema, ["threads"] = DbtOutputs.Threads };
}
