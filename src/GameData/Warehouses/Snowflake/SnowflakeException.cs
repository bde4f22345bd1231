using GameData.Settings;

namespace GameData.Warehouses.Snowflake;

/// <summary>An error Snowflake reported, or the client gave up on; the message is one line for the user.</summary>
public sealed class SnowflakeException(string message, string? code = null, string? sqlState = null, Exception? inner = null)
    : GameDataException(message, ExitCodes.Failed, inner)
{
    public string? Code { get; } = code;
    public string? SqlState { get; } = sqlState;
}
