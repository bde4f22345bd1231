using GameData.Settings;

namespace GameData.Migrations;

/// <summary>Thrown when migrating cannot go ahead; the message is one line for the user.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : GameDataException(message, ExitCodes.Failed, inner);
