namespace GameData.Cli.Console;

/// <summary>
/// Progress handled as it is reported, one report at a time. <see cref="Progress{T}"/> queues its handler on the
/// thread pool instead, where a line could still be written after the command ended and its output was read.
/// </summary>
internal sealed class ReportedAtOnce<T>(Action<T> handler) : IProgress<T>
{
    private readonly Lock _lock = new();

    public void Report(T value)
    {
        lock (_lock) handler(value);
    }
}
