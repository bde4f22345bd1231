using System.CommandLine;
using System.Diagnostics;
using GameData.Cli.Console;
using GameData.Files;
using GameData.Reporting;
using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata report</c>: one self-contained HTML profile of a dataset, figures from DuckDB SQL.</summary>
public static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("report", "Write an HTML data profile (charts and tables, works offline) of the dataset.");
        var options = VerbOptions.For(command, "report", context);
        command.SetAction((parse, _) =>
        {
            var folder = options.Path(parse, "data") ?? RepositoryFolders.DefaultData(context.BaseDirectory);
            var file = options.Text(parse, "out") ?? Path.Combine(folder, "report.html");
            var standardOutputTaken = new CiOutputs(context).RequireWritable(("--out", file));
            var terminal = Terminal.Detect(context, CiFlag.InEnvironment(context), standardOutputTaken);
            var clock = Stopwatch.StartNew();
            terminal.Info($"Profiling {folder}");
            var path = ReportBuilder.Build(folder, file == OutputFile.StandardOutput ? file : context.FullPath(file),
                new ReportedAtOnce<string>(step => terminal.Info("  " + step)), context.Out);
            terminal.Info(path == OutputFile.StandardOutput ? $"Report written to standard output ({clock.Elapsed.TotalSeconds:0.0} s)"
                : $"Report: {path} ({new FileInfo(path).Length / 1024.0:N0} KB, {clock.Elapsed.TotalSeconds:0.0} s)");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
