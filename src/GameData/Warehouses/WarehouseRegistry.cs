using System.Collections.Concurrent;
using GameData.Settings;
using GameData.Warehouses.DuckDb;
using GameData.Warehouses.Postgres;
using GameData.Warehouses.Snowflake;

namespace GameData.Warehouses;

/// <summary>
/// Maps a warehouse's name (GAME_WAREHOUSE, a targets file's warehouse column) to its provider: the one place that
/// knows which warehouses there are. Another provider (a test's) plugs in with <see cref="Register"/>.
/// </summary>
public static class WarehouseRegistry
{
    private static readonly ConcurrentDictionary<string, IWarehouseProvider> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["duckdb"] = DuckDbProvider.Instance, ["postgres"] = PostgresProvider.Instance, ["postgresql"] = PostgresProvider.Instance,
        ["snowflake"] = SnowflakeProvider.Instance,
    };

    /// <summary>Adds a provider under its name until the result is disposed; registering it again changes nothing.</summary>
    public static IDisposable Register(IWarehouseProvider provider) =>
        Names.TryAdd(provider.Name, provider) ? new Registration(() => Names.TryRemove(provider.Name, out _)) : new Registration(() => { });

    private sealed class Registration(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    /// <summary>The provider a setting names; none given is DuckDB, the embedded default.</summary>
    public static IWarehouseProvider From(SettingValue? value) =>
        value is null ? DuckDbProvider.Instance
        : Names.TryGetValue(value.Text, out var provider) ? provider
        : throw new SettingsException($"{value.Describe()} is not a known warehouse " +
            $"(known: {string.Join(", ", Names.Values.Select(p => p.Name).Distinct().Order(StringComparer.Ordinal))})");
}
