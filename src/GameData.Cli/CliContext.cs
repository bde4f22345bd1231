using GameData.Cli.Console;

namespace GameData.Cli;

/// <summary>
/// What one run of the CLI reads and writes instead of the process's own: the environment its settings come from,
/// the folder its relative paths start from, and its standard output and error. The process passes its own
/// (<see cref="Program.Main"/>); a test passes its own, so that runs in one process share none of it.
/// </summary>
/// <param name="AtTerminal">Standard output and error are a terminal a person reads (live progress, prompts).</param>
/// <param name="Input">Where a prompt reads its answer; null when there is no person to ask.</param>
/// <param name="Interrupts">The process's signals; null in a run that is not the process.</param>
public sealed record CliContext(
    IReadOnlyDictionary<string, string?> Environment, string BaseDirectory, TextWriter Out, TextWriter Error,
    bool AtTerminal = false, TextReader? Input = null, Interrupts? Interrupts = null)
{
    public string? Variable(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary><paramref name="path"/> as a full path, a relative one taken from <see cref="BaseDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, BaseDirectory);

    /// <summary>130 after Ctrl+C or end of input, 143 after SIGTERM, 129 after SIGHUP.</summary>
    public int CancelledExitCode => Interrupts?.ExitCode ?? Settings.ExitCodes.Cancelled;

    /// <summary>While the returned scope lives, a signal ends the process at once (nothing is under way at a prompt).</summary>
    public IDisposable Prompting() => Interrupts?.Prompting() ?? new NoScope();

    private sealed class NoScope : IDisposable
    {
        public void Dispose() { }
    }
}
