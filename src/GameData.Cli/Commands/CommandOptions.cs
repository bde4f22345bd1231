using System.CommandLine;
using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary>Options shared by several commands, and the mapping of setting flags onto their environment names.</summary>
public static class CommandOptions
{
    public static readonly Option<string?> EnvFile = new("--env-file")
    {
        Description = "Settings file read before the environment [default: .env at the repository root]",
    };

    /// <summary>One string option per generation setting; values are checked by the settings, not the parser,
    /// so that a bad flag and a bad environment variable get the same message.</summary>
    public static IReadOnlyDictionary<string, Option<string?>> GenerationFlags() => new Dictionary<string, Option<string?>>
    {
        ["N_PLAYERS"] = new("--players") { Description = "Players to generate [env N_PLAYERS, default 2000]" },
        ["MAX_SESSIONS_PER_PLAYER"] = new("--max-sessions") { Description = "Cap on sessions per player [env MAX_SESSIONS_PER_PLAYER, default 25]" },
        ["GAME_VERSION"] = new("--game-version") { Description = "Version written into every event [env GAME_VERSION, default 1.0.3]" },
        ["GAME_DATA_SEED"] = new("--seed") { Description = "Integer seed; same seed, same data [env GAME_DATA_SEED, default 42]" },
        ["LOAD_BATCH_ID"] = new("--batch") { Description = "Batch number; 2 and up namespace the IDs (player_2_1); 'next' = the one after the highest loaded, with the 31 days after the latest loaded event [env LOAD_BATCH_ID, default 1]" },
        ["EVENT_DATE_START"] = new("--start") { Description = "First day of the event window, YYYY-MM-DD [env EVENT_DATE_START, default 2011-01-13]" },
        ["EVENT_DATE_END"] = new("--end") { Description = "Last day of the event window, inclusive [env EVENT_DATE_END, default 2011-02-12]" },
    };

    /// <summary>Where the warehouse is; values are checked by <see cref="GameData.Warehouses.WarehouseSettings"/>.</summary>
    public static IReadOnlyDictionary<string, Option<string?>> WarehouseFlags() => new Dictionary<string, Option<string?>>
    {
        ["GAME_WAREHOUSE"] = new("--warehouse") { Description = "duckdb (embedded, default), postgres, or snowflake (SNOWFLAKE_* settings) [env GAME_WAREHOUSE]" },
        ["GAME_SCHEMA"] = new("--schema") { Description = "Schema of the RAW tables [env GAME_SCHEMA, default raw]" },
        ["GAME_DUCKDB_PATH"] = new("--duckdb") { Description = "DuckDB file [env GAME_DUCKDB_PATH, default data/game_analytics.duckdb]" },
        ["GAME_POSTGRES"] = new("--postgres") { Description = "PostgreSQL connection string [env GAME_POSTGRES, else the PG* variables]" },
    };

    public static readonly Option<int> LockTimeout = new("--lock-timeout")
    {
        Description = "Seconds to wait for another load into the same target to finish",
        DefaultValueFactory = _ => 120,
    };

    /// <summary>Resolves the setting layers for a parsed command: .env &lt; environment &lt; these flags.</summary>
    public static SettingLayers Layers(ParseResult parse, params IReadOnlyDictionary<string, Option<string?>>[] flagSets)
    {
        var flags = flagSets.SelectMany(f => f).ToDictionary();
        var envFile = parse.GetValue(EnvFile) ?? RepositoryFolders.DefaultDotEnv();
        if (parse.GetValue(EnvFile) is { } explicitFile && !File.Exists(explicitFile))
            throw new SettingsException($"--env-file '{explicitFile}' does not exist");
        return SettingLayers.Standard(envFile,
            flags.Select(f => new KeyValuePair<string, string?>(f.Key, parse.GetValue(f.Value))));
    }
}
