using GameData.Generation;

namespace GameData.Loading;

/// <summary>The RAW tables: which file fills which table, its columns in order, and its primary key.</summary>
public sealed record RawTable(string Name, string File, string[] Columns)
{
    public string Key => Columns[0];
    public string ColumnList => string.Join(", ", Columns);
}

public static class RawSchema
{
    public static readonly RawTable Players = new("RAW_PLAYERS", DatasetFiles.Players,
        ["PLAYER_ID", "FIRST_SEEN_AT", "COUNTRY", "LANGUAGE", "DIFFICULTY_SELECTED"]);

    public static readonly RawTable Sessions = new("RAW_SESSIONS", DatasetFiles.Sessions,
        ["SESSION_ID", "PLAYER_ID", "SESSION_START", "SESSION_END", "PLATFORM"]);

    public static readonly RawTable Events = new("RAW_GAME_EVENTS", DatasetFiles.Events,
        ["EVENT_ID", "EVENT_TIME", "PLAYER_ID", "EVENT_NAME", "PLATFORM", "GAME_VERSION", "PROPERTIES"]);

    /// <summary>In load order: parents first.</summary>
    public static readonly RawTable[] Tables = [Players, Sessions, Events];

    public const string Ledger = "_LOADS";
}
