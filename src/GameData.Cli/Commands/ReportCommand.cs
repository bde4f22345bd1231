using System.CommandLine;
using System.Diagnostics;
using GameData.Cli.Console;
using GameData.Reporting;
using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata report</c>: one self-contained HTML profile of a dataset, figures from DuckDB SQL.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Dataset folder [default: data/ at the repository root]" };
        var output = new Option<string?>("--out") { Description = "HTML file to write [default: report.html in the dataset folder]" };
        var command = new Command("report", "Write an HTML data profile (charts and tables, works offline) of the dataset.") { data, output };
        command.SetAction((parse, _) =>
        {
            var folder = parse.GetValue(data) ?? RepositoryFolders.DefaultData();
            var file = parse.GetValue(output) ?? Path.Combine(folder, "report.html");
            var terminal = Terminal.Detect(CiFlag.InEnvironment());
            var clock = Stopwatch.StartNew();
            terminal.Info($"Profiling {Path.GetFullPath(folder)}");
            var path = ReportBuilder.Build(folder, file, new Progress<string>(step => terminal.Info("  " + step)));
            terminal.Info($"Report: {path} ({new FileInfo(path).Length / 1024.0:N0} KB, {clock.Elapsed.TotalSeconds:0.0} s)");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
