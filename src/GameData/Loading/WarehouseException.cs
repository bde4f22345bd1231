using GameData.Settings;

namespace GameData.Loading;

/// <summary>Thrown when the warehouse cannot be reached or refuses the work; the message is one line for the user.</summary>
public sealed class WarehouseException(string message, Exception? inner = null) : GameDataException(message, ExitCodes.Failed, inner);
