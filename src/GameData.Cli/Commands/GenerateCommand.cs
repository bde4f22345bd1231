using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GameData.Anomalies;
using GameData.Chain;
using GameData.Cli.Console;
using GameData.Files;
using GameData.Generation;
using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata generate</c>: writes the course dataset (three CSV files and manifest.json).</summary>
public static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("generate",
            "Generate players, sessions and game events, byte-identical to the course's reference pipeline.");
        var options = VerbOptions.For(command, "generate", context);
        command.SetAction((parse, cancellation) =>
        {
            var layers = options.Layers(parse);
            var directory = options.Path(parse, "out") ?? RepositoryFolders.DefaultData(context.BaseDirectory);
            var settings = GenerationSettings.From(NextBatchWindow.Resolve(layers, directory))
                with { Anomalies = AnomalySpec.From(layers) };
            var terminal = Terminal.Detect(context, CiFlag.IsSet(layers));
            if (options.Switch(parse, "dry-run"))
            {
                terminal.Info($"Would generate {Describe(settings)} into {Path.GetFullPath(directory)}; nothing was written (dry run).");
                return Task.FromResult(ExitCodes.Success);
            }
            if (!options.Switch(parse, "force")
                && DatasetGenerator.WhyNotUpToDate(settings, directory, FileFactsCache.UsersFolder(context.Environment)) is null)
            {
                terminal.Info($"Up to date: {Path.GetFullPath(directory)} already holds {Describe(settings)}, " +
                    $"every file as manifest.json records it (--force generates anyway).");
                return Task.FromResult(ExitCodes.Success);
            }
            return Task.FromResult(Run(settings, directory, terminal, cancellation));
        });
        return command;
    }

    private static string Describe(GenerationSettings settings) =>
        $"{settings.Players:N0} players (seed {Shorten(settings.Seed.ToString(CultureInfo.InvariantCulture))}, batch {settings.Batch}, " +
        $"{settings.Start:yyyy-MM-dd}..{settings.End:yyyy-MM-dd}" +
        (settings.Anomalies is { } anomalies ? $", anomalies {Shorten(anomalies.Text)})" : ")");

    private static string Shorten(string text) => text.Length <= 24 ? text : $"{text[..20]}… ({text.Length:N0} digits)";

    private static int Run(GenerationSettings settings, string directory, Terminal terminal, CancellationToken cancellation)
    {
        terminal.Info($"Generating {Describe(settings)} into {Path.GetFullPath(directory)}");
        var clock = Stopwatch.StartNew();
        var result = terminal.WithProgress("generate", progress =>
            DatasetGenerator.Generate(settings, directory,
                new ReportedAtOnce<GenerationProgress>(p => progress.Report(
                    ((double)p.PlayersDone / p.PlayersTotal, $"{p.PlayersDone:N0} players, {p.EventsWritten:N0} events"))),
                cancellation));
        var files = result.Manifest.Files;
        terminal.Info($"Wrote {files[DatasetFiles.Players].Rows:N0} players, {files[DatasetFiles.Sessions].Rows:N0} sessions, " +
                      $"{files[DatasetFiles.Events].Rows:N0} events in {clock.Elapsed.TotalSeconds:0.00} s to {result.Directory}");
        if (result.Manifest.Anomalies is { } anomalies)
            terminal.Info($"Mixed in {anomalies.Defects:N0} defects ({settings.Anomalies!.Text}), each listed with its file, line and " +
                          $"key in {Path.Combine(result.Directory, anomalies.File)}");
        if (result.NoSessions)
            terminal.Warn("no session fell inside the window, so the sessions and events files hold only their headers " +
                          "(the reference pipeline crashes on these settings; widen the window)");
        return ExitCodes.Success;
    }
}
