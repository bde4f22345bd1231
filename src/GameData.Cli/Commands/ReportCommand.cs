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
    public static Command Create()
    {
        var command = new Command("report", "Write an HTML data profile (charts and tables, works offline) of the dataset.");
        var options = VerbOptions.For(command, "report");
        command.SetAction((parse, _) =>
        {
            var folder = options.Text(parse, "data") ?? RepositoryFolders.DefaultData();
            var file = options.Text(parse, "out") ?? Path.Combine(folder, "report.html");
            CiOutputs.RequireWritable(("--out", file));
            var terminal = Terminal.Detect(CiFlag.InEnvironment());
            var clock = Stopwatch.StartNew();
            terminal.Info($"Profiling {Path.GetFullPath(folder)}");
            var path = ReportBuilder.Build(folder, file, new Progress<string>(step => terminal.Info("  " + step)));
            terminal.Info(path == OutputFile.StandardOutput ? $"Report written to standard output ({clock.Elapsed.TotalSeconds:0.0} s)"
                : $"Report: {path} ({new FileInfo(path).Length / 1024.0:N0} KB, {clock.Elapsed.TotalSeconds:0.0} s)");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
