using GameData.Migrations;
using GameData.Loading;
using GameData.Settings;
using GameData.Warehouses;
using GameData.Warehouses.DuckDb;

namespace GameData.Tests.Warehouses.SecondDuckDb;

/// <summary>
/// A fourth warehouse, for the tests only: a DuckDB file known by another name (<c>duckdb2</c>), with migrations
/// of its own (<c>migrations/duckdb2</c>). It proves the seam: registered with one line, it is migrated, loaded,
/// appended to and reset by the CLI's own code, which never asks which warehouse it has.
/// </summary>
public sealed class SecondDuckDbProvider : IWarehouseProvider
{
    public static readonly SecondDuckDbProvider Instance = new();
    private static readonly DuckDbProvider File = DuckDbProvider.Instance;

    public string Name => "duckdb2";
    public WarehouseSettings Configure(WarehouseSettings settings, SettingLayers layers) => settings;
    public string Describe(WarehouseSettings settings) => $"duckdb2 {settings.DuckDbPath} (schema {settings.Schema})";
    public bool MayBeMigrated(WarehouseSettings settings) => File.MayBeMigrated(settings);
    public IWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) => File.Open(settings, waiting, lockTimeout);
    public IDisposable? LockForMigration(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout) => File.LockForMigration(settings, waiting, lockTimeout);
    public MigrationTarget Migrations(WarehouseSettings settings) => File.Migrations(settings);
    public string ResetGroup(WarehouseSettings settings) => $"duckdb2:{settings.Schema}";
    public IResetStrategy ResetStrategy(WarehouseSettings settings, ResetOptions options, Action<string> log) => File.ResetStrategy(settings, options, log);
    public IEnumerable<KeyValuePair<string, string?>> TargetSettings(string connection, string? secret, string row, string folder, SettingLayers layers) =>
        File.TargetSettings(connection, secret, row, folder, layers);
    public string DbtAdapter => File.DbtAdapter;
    public Dictionary<string, object> DbtOutput(WarehouseSettings settings, string schema, IDictionary<string, string> environment, Version? adapter) =>
        File.DbtOutput(settings, schema, environment, adapter);
}
