using System.CommandLine;
using GameData.Cli.Commands;
using GameData.Cli.Console;
using GameData.Settings;
using Spectre.Console;

namespace GameData.Cli;

/// <summary>The `gamedata` command: one verb per stage of the chain. Errors are one line on stderr and an exit code.</summary>
public static class Program
{
    /// <summary>The process: its environment, its folder, its console and its signals.</summary>
    public static async Task<int> Main(string[] args)
    {
        var variables = System.Environment.GetEnvironmentVariables();
        var environment = variables.Keys.Cast<string>().ToDictionary(key => key, key => variables[key] as string, StringComparer.Ordinal);
        using var interrupts = new Interrupts(System.Console.Out, System.Console.Error);
        var terminal = !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected
            && AnsiConsole.Profile.Capabilities.Interactive;
        var context = new CliContext(environment, Directory.GetCurrentDirectory(), System.Console.Out, System.Console.Error,
            terminal, System.Console.IsInputRedirected ? null : System.Console.In, interrupts);
        return await Run(args, context, interrupts.Token);
    }

    /// <summary>One run of the CLI: everything it reads and writes is <paramref name="context"/>'s.</summary>
    public static async Task<int> Run(string[] args, CliContext context, CancellationToken cancellation = default)
    {
        var root = new RootCommand("gamedata: generate, validate and load the game-analytics course dataset.")
        {
            GenerateCommand.Create(context),
            ValidateCommand.Create(context),
            MigrateCommand.Create(context),
            LoadCommand.Create(context),
            ReportCommand.Create(context),
            DbtCommand.Create(context),
            ResetCommand.Create(context),
            ArgsCommand.Create(context),
        };

        // Verbs in any letter case: `gamedata GENERATE` is not a different command.
        args = [.. args];
        if (args.Length > 0 && root.Subcommands.FirstOrDefault(c => c.Name.Equals(args[0], StringComparison.OrdinalIgnoreCase)) is { } verb)
            args[0] = verb.Name;

        try
        {
            args = ArgumentSyntax.Normalize(args);
        }
        catch (SettingsException e)
        {
            Terminal.Error(context.Error, e.Message);
            return ExitCodes.BadInput;
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Terminal.Error(context.Error, $"{parse.Errors[0].Message} (see 'gamedata {parse.CommandResult.Command.Name} --help')"
                .Replace("gamedata gamedata", "gamedata"));
            return ExitCodes.BadInput;
        }

        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = context.Out, Error = context.Error };
        // Signals are the process's: a run inside another program leaves them alone.
        if (context.Interrupts is null) invocation.ProcessTerminationTimeout = null;
        try
        {
            return await parse.InvokeAsync(invocation, cancellation);
        }
        catch (GameDataException e)
        {
            Terminal.Error(context.Error, e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException e)
        {
            Terminal.Error(context.Error, e is CancelledPartway ? e.Message
                : "cancelled; nothing was changed (files are renamed into place and loads commit only at the end)");
            return context.CancelledExitCode;
        }
        // The file system's own failures: the user's to fix, not bugs.
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Terminal.Error(context.Error, e.Message);
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            // A bug, not a user error: still one line, with the type to report it by.
            Terminal.Error(context.Error, $"unexpected {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            return ExitCodes.Failed;
        }
    }
}
