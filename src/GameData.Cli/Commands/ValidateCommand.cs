using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GameData.Chain;
using GameData.Cli.Console;
using GameData.Files;
using GameData.Generation;
using GameData.Settings;
using GameData.Validation;

namespace GameData.Cli.Commands;

/// <summary>
/// <c>gamedata validate</c>: checks the raw files before they reach a warehouse. 0 = valid, 1 = invalid, 2 = could not run.
/// </summary>
public static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("validate", "Validate the raw CSV files (and manifest.json, if present) before loading.");
        var options = VerbOptions.For(command, "validate", context);
        command.SetAction((parse, cancellation) =>
        {
            // As given, for the annotations: GitHub places them by paths relative to the repository.
            var data = options.Text(parse, "data") ?? RepositoryFolders.DefaultData(context.BaseDirectory);
            var validation = new ValidationOptions(
                context.FullPath(data),
                options.Switch(parse, "strict"),
                Window(options.Text(parse, "start"), options.Text(parse, "end")));
            var report = options.Text(parse, "report");
            var resultJson = options.Text(parse, "result-json");
            // Checked before the work, not after it.
            var ci = new CiOutputs(context);
            var standardOutputTaken = ci.RequireWritable(("--report", report), ("--result-json", resultJson));
            var terminal = Terminal.Detect(context, CiFlag.InEnvironment(context), standardOutputTaken);
            var clock = Stopwatch.StartNew();
            var (exitCode, result) = Run(validation, report, context, ci, terminal, cancellation);
            Publish(ci, terminal, validation, data, result, resultJson, clock.Elapsed);
            return Task.FromResult(exitCode);
        });
        return command;
    }

    private static EventWindow? Window(string? start, string? end)
    {
        if (start is null && end is null) return null;
        if (start is null || end is null) throw new SettingsException("give both --start and --end, or neither");
        var layers = new SettingLayers().Add("flags", [new("EVENT_DATE_START", start), new("EVENT_DATE_END", end)]);
        return GenerationSettings.From(layers).Window;
    }

    /// <summary>
    /// For CI: the summary as JSON, and on GitHub Actions each example as an annotation on its file and line, and a step summary.
    /// </summary>
    private static void Publish(CiOutputs ci, Terminal terminal, ValidationOptions options, string data, ValidationReport report,
        string? resultJson, TimeSpan elapsed)
    {
        ci.WriteResult(resultJson, new
        {
            Command = "validate", Status = report.IsValid ? "valid" : "invalid", Data = Path.GetFullPath(options.DataDirectory),
            report.Strict, Seconds = Math.Round(elapsed.TotalSeconds, 2), Rows = report.RowsRead,
            Violations = report.Broken.ToDictionary(r => r.Id,
                r => new { Severity = report.Fails(r) ? "error" : "warning", Count = report.Count(r) }),
            Expected = Rules.All.Where(r => report.Expected(r) > 0).ToDictionary(r => r.Id, report.Expected),
        });
        foreach (var rule in report.Broken.Where(report.Fails))
            foreach (var example in report.Examples(rule))
                ci.Annotate(terminal, Path.Combine(data, example.File), example.Line, $"{example.Rule}: {example.Detail}");
        ci.AppendSummary($"### gamedata validate: {(report.IsValid ? "valid" : "**invalid**")}\n\n| file | rows |\n|---|---|\n" +
            string.Join("\n", report.RowsRead.Select(r => $"| {r.Key} | {r.Value:N0} |")) +
            (report.Broken.Any() ? "\n\n| rule | severity | violations |\n|---|---|---|\n" +
                string.Join("\n", report.Broken.Select(r =>
                    $"| {r.Id} | {(report.Fails(r) ? "error" : "warning")} | {report.Count(r):N0} |")) : ""));
    }

    private static (int ExitCode, ValidationReport Report) Run(ValidationOptions options, string? reportPath, CliContext context,
        CiOutputs ci, Terminal terminal, CancellationToken cancellation)
    {
        // Standard output holds no earlier report.
        var earlier = reportPath is null || reportPath == OutputFile.StandardOutput ? null : context.FullPath(reportPath);
        var (report, trusted) = terminal.WithProgress("validate", progress => ValidateCsv.Run(options, earlier,
            FileFactsCache.UsersFolder(context.Environment), terminal.Info,
            new ReportedAtOnce<double>(f => progress.Report((f, "of the CSV bytes"))), cancellation));

        foreach (var line in Summary(report)) terminal.Line(line);
        if (reportPath is not null && !trusted) terminal.Info($"Report written to {ci.Write(reportPath, report.ToJson())}");
        return (Verdict(report, terminal), report);
    }

    private static int Verdict(ValidationReport report, Terminal terminal)
    {
        if (report.IsValid)
        {
            terminal.Info(report.Broken.Any() ? "Valid, with warnings." : "Valid.");
            return ExitCodes.Success;
        }
        var problems = report.Broken.Where(report.Fails).Sum(report.Count);
        var rules = report.Broken.Count(report.Fails);
        terminal.Error($"the dataset is invalid: {problems:N0} {(problems == 1 ? "problem" : "problems")} " +
            $"in {rules} {(rules == 1 ? "rule" : "rules")} (examples above)");
        return ExitCodes.Failed;
    }

    /// <summary>Rows read per file, violations per rule, then at most 20 examples per rule as <c>file:line: rule: detail</c>.</summary>
    public static IEnumerable<string> Summary(ValidationReport report)
    {
        var c = CultureInfo.InvariantCulture;
        yield return "";
        yield return string.Format(c, "  {0,-22} {1,14}", "file", "rows read");
        foreach (var (file, rows) in report.RowsRead) yield return string.Format(c, "  {0,-22} {1,14:N0}", file, rows);
        foreach (var notice in report.Notices) yield return $"  note: {notice}";
        yield return "";
        if (report.DeclaresDefects)
        {
            // A dataset with declared defects: what was expected of each rule, and what was not.
            var rules = Rules.All.Where(r => report.Count(r) + report.Expected(r) > 0).ToList();
            yield return string.Format(c, "  {0,-24} {1,-8} {2,12} {3,12}", "rule", "severity", "expected", "unexpected");
            foreach (var rule in rules)
                yield return string.Format(c, "  {0,-24} {1,-8} {2,12:N0} {3,12:N0}", rule.Id,
                    rule.Severity == Severity.Error || report.Strict ? "error" : "warning", report.Expected(rule), report.Count(rule));
            if (!report.Broken.Any())
            {
                yield return "";
                yield return "  every declared defect found where anomalies.json says, and nothing else";
                yield break;
            }
        }
        else if (!report.Broken.Any())
        {
            yield return "  no violations";
            yield break;
        }
        else
        {
            yield return string.Format(c, "  {0,-24} {1,-8} {2,12}", "rule", "severity", "violations");
            foreach (var rule in report.Broken)
                yield return string.Format(c, "  {0,-24} {1,-8} {2,12:N0}", rule.Id, report.Fails(rule) ? "error" : "warning",
                    report.Count(rule));
        }
        yield return "";
        foreach (var rule in report.Broken)
            foreach (var example in report.Examples(rule))
                yield return $"  {example}";
    }
}
