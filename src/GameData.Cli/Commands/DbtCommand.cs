using System.CommandLine;
using GameData.Cli.Console;
using GameData.Dbt;
using GameData.Warehouses;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata dbt</c>: OptionalDbtBuild, the student's dbt project built on the warehouse just loaded.</summary>
public static class DbtCommand
{
    /// <summary>How long dbt waits for a load into the same DuckDB file: the other verbs' --lock-timeout default.</summary>
    private static readonly TimeSpan DuckDbLockTimeout = TimeSpan.FromSeconds(120);

    public static Command Create()
    {
        var command = new Command("dbt",
            "Build a dbt project on the warehouse just loaded: a profile for it (no secret in the file), dbt deps if the project has packages, then dbt build.");
        var options = VerbOptions.For(command, "dbt");
        command.SetAction((parse, cancellation) =>
        {
            var layers = options.Layers(parse);
            var terminal = Terminal.Detect(CiFlag.IsSet(layers));
            var warehouse = WarehouseSettings.From(layers);
            var settings = DbtSettings.From(layers, warehouse.Kind, options.Text(parse, "dbt-profiles-dir"), options.Text(parse, "dbt-target"),
                options.Text(parse, "dbt-schema"), options.Text(parse, "dbt-command"), options.Text(parse, "dbt-args"));
            if (settings is null)
            {
                terminal.Info("OptionalDbtBuild skipped: no dbt project named (give --dbt-project=../game_dbt_project, or set DBT_PROJECT_DIR in .env)");
                return Task.FromResult(ExitCodes.Success);
            }
            // dbt writes its models into the DuckDB file: holding the file's lock meanwhile, as a load does, means a
            // load cannot close and rename the file over them (its swap would drop what dbt wrote in between).
            using var turn = warehouse.Kind == WarehouseKind.DuckDb ? DuckDbFile.Lock(warehouse.DuckDbPath, terminal.Info, DuckDbLockTimeout) : null;
            return Task.FromResult(new DbtRunner(settings, warehouse, terminal.Info).Run(cancellation));
        });
        return command;
    }
}
