namespace GameData.Settings;

/// <summary>A setting that is missing, malformed or out of range; its message is one line meant for the user.</summary>
public sealed class SettingsException(string message) : GameDataException(message, ExitCodes.BadInput);
