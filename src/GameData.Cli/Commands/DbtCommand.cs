using System.CommandLine;
using GameData.Cli.Console;
using GameData.Settings;
using GameData.Dbt;
using GameData.Warehouses;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata dbt</c>: OptionalDbtBuild, the student's dbt project built on the warehouse just loaded.</summary>
public static class DbtCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("dbt",
            "Build a dbt project on the warehouse just loaded: a profile for it (no secret in the file), " +
            "dbt deps if the project has packages, then dbt build.");
        var options = VerbOptions.For(command, "dbt", context);
        command.SetAction((parse, cancellation) =>
        {
            var layers = options.Layers(parse);
            var terminal = Terminal.Detect(context, CiFlag.IsSet(layers));
            var warehouse = WarehouseSettings.From(layers);
            var settings = DbtSettings.From(layers, warehouse.Provider, options.Text(parse, "dbt-profiles-dir"),
                options.Text(parse, "dbt-target"), options.Text(parse, "dbt-schema"), options.Text(parse, "dbt-command"),
                options.Text(parse, "dbt-args"));
            if (settings is null)
            {
                terminal.Info("OptionalDbtBuild skipped: no dbt project named " +
                    "(give --dbt-project=../game_dbt_project, or set DBT_PROJECT_DIR in .env)");
                return Task.FromResult(ExitCodes.Success);
            }
            // dbt writes to the process's console itself; a run that is not the process gets its output line by line.
            var output = context.Interrupts is null ? (context.Out, context.Error) : ((TextWriter, TextWriter)?)null;
            return Task.FromResult(new DbtRunner(settings, warehouse, terminal.Info, context.Environment, output)
                .Run(options.Seconds(parse, "lock-timeout"), cancellation));
        });
        return command;
    }
}
