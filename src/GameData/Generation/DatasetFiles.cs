namespace GameData.Generation;

/// <summary>The names of the files a dataset folder holds.</summary>
public static class DatasetFiles
{
    public const string Players = "raw_players.csv";
    public const string Sessions = "raw_sessions.csv";
    public const string Events = "raw_game_events.csv";

    public static readonly string[] All = [Players, Sessions, Events];
}
