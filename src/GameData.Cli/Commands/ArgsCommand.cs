using System.CommandLine;
using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary>
/// <c>gamedata args</c> (hidden): the build's arguments, checked and routed for the Cake script (<see cref="BuildArguments"/>).
/// They come as JSON on standard input, never on a command line (they may hold a secret), relative paths from this
/// run's folder (the caller's); the routes go to standard output, and what cannot be used is one error line and exit 2.
/// </summary>
public static class ArgsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("args", "Routes ./build.sh's arguments (JSON on standard input) to each verb") { Hidden = true };
        command.SetAction(_ =>
        {
            // Standard input is redirected here, so the process's context has no prompt input: read it directly.
            context.Out.WriteLine(BuildArguments.Answer((context.Input ?? System.Console.In).ReadToEnd(), context.FullPath));
            return ExitCodes.Success;
        });
        return command;
    }
}
