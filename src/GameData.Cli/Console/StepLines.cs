namespace GameData.Cli.Console;

/// <summary>
/// A load's steps printed as the work reaches them (<see cref="Progress{T}"/> queues its callbacks, so its lines
/// could trail the work): a step on the screen means the step has begun. For the kill sweep tests,
/// <c>GAMEDATA_TEST_PAUSE_AT</c> holds the process at the step that begins with that text, so a test kills it at a named step
/// instead of after a guessed delay.
/// </summary>
internal sealed class StepLines(Terminal terminal, CliContext context) : IProgress<string>
{
    private readonly string? _pauseAt = context.Variable("GAMEDATA_TEST_PAUSE_AT");

    public void Report(string value)
    {
        terminal.Info("  " + value);
        if (_pauseAt is { Length: > 0 } && value.StartsWith(_pauseAt, StringComparison.Ordinal)) Thread.Sleep(Timeout.Infinite);
    }
}
