namespace GameData.Loading;

/// <summary>Thrown when the warehouse cannot be reached or refuses the work; the message is one line for the user.</summary>
public sealed class WarehouseException(string message, Exception? inner = null) : Exception(message, inner);
