namespace GameData.Settings;

/// <summary>
/// A failure the user is told about in one line (its message) with an exit code, as opposed to a bug. The CLI maps
/// this one type to its exit code; each kind of failure says which code it is.
/// </summary>
public abstract class GameDataException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
