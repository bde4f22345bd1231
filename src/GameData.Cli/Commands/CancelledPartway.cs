namespace GameData.Cli.Commands;

/// <summary>A signal stopped a command after it had changed some things: its message says which, not "nothing was changed".</summary>
public sealed class CancelledPartway(string message) : OperationCanceledException(message);
