using System.CommandLine;
using GameData.Cli.Commands;
using GameData.Cli.Console;
using GameData.Settings;

// The `gamedata` command: one verb per stage of the chain. Errors are one line on stderr and an exit code.
var root = new RootCommand("gamedata: generate, validate and load the game-analytics course dataset.")
{
    GenerateCommand.Create(),
    ValidateCommand.Create(),
    MigrateCommand.Create(),
    LoadCommand.Create(),
    ReportCommand.Create(),
    DbtCommand.Create(),
    ResetCommand.Create(),
};

// Verbs in any letter case: `gamedata GENERATE` is not a different command.
if (args.Length > 0 && root.Subcommands.FirstOrDefault(c => c.Name.Equals(args[0], StringComparison.OrdinalIgnoreCase)) is { } verb)
    args[0] = verb.Name;

try
{
    args = ArgumentSyntax.Normalize(args);
}
catch (SettingsException e)
{
    Terminal.Error(e.Message);
    return ExitCodes.BadInput;
}

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    Terminal.Error($"{parse.Errors[0].Message} (see 'gamedata {parse.CommandResult.Command.Name} --help')".Replace("gamedata gamedata", "gamedata"));
    return ExitCodes.BadInput;
}

using var interrupts = new Interrupts();
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, interrupts.Token);
}
catch (Exception e) when (e is GameData.Loading.WarehouseException or GameData.Migrations.MigrationException
                               or GameData.Warehouses.Snowflake.SnowflakeException or GameData.Reporting.ReportException)
{
    Terminal.Error(e.Message);
    return ExitCodes.Failed;
}
catch (SettingsException e)
{
    Terminal.Error(e.Message);
    return ExitCodes.BadInput;
}
catch (CancelledPartway e)
{
    Terminal.Error(e.Message);
    return interrupts.ExitCode;
}
catch (OperationCanceledException)
{
    Terminal.Error("cancelled; nothing was changed (files are renamed into place and loads commit only at the end)");
    return interrupts.ExitCode;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Terminal.Error(e.Message);
    return ExitCodes.Failed;
}
catch (Exception e)
{
    // A bug, not a user error: still one line, with the type to report it by.
    Terminal.Error($"unexpected {e.GetType().Name}: {e.Message.Split('\n')[0]}");
    return ExitCodes.Failed;
}
