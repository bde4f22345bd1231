using GameData.Loading;

namespace GameData.Cli.Console;

/// <summary>
/// The load's question at a terminal: 1 = recreate, 2 = append. Nothing has been written while it waits, so
/// Ctrl+C or the end of input (Ctrl+D) ends the command at once with 130.
/// </summary>
public static class ModePrompt
{
    public static LoadMode Ask(RawState state, Terminal terminal, CliContext context, TextReader input)
    {
        if (state.IsEmpty) return LoadMode.Recreate;
        terminal.Line($"The RAW tables hold {state.Players:N0} players, {state.Sessions:N0} sessions and {state.Events:N0} events.");
        using var prompt = context.Prompting();
        while (true)
        {
            terminal.Ask("1 = recreate (replace them with this batch), 2 = append (add only new rows): ");
            var answer = input.ReadLine() ?? throw new OperationCanceledException("no answer (end of input)");
            switch (answer.Trim())
            {
                case "1": return LoadMode.Recreate;
                case "2": return LoadMode.Append;
                default: terminal.Line("Type 1 or 2, or Ctrl+C to stop."); break;
            }
        }
    }
}
