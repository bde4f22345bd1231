using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GameData.Cli.Console;
using GameData.Generation;
using GameData.Loading;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Cli.Commands;

/// <summary><c>gamedata generate</c>: writes the course dataset (three CSV files and manifest.json).</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate",
            "Generate players, sessions and game events, byte-identical to the course's reference pipeline.");
        var options = VerbOptions.For(command, "generate");
        command.SetAction((parse, cancellation) =>
        {
            var layers = options.Layers(parse);
            var directory = options.Text(parse, "out") ?? RepositoryFolders.DefaultData();
            var settings = GenerationSettings.From(ResolveNextBatch(layers, directory));
            var terminal = Terminal.Detect(CiFlag.IsSet(layers));
            if (options.Switch(parse, "dry-run"))
            {
                terminal.Info($"Would generate {Describe(settings)} into {Path.GetFullPath(directory)}; nothing was written (dry run).");
                return Task.FromResult(ExitCodes.Success);
            }
            if (!options.Switch(parse, "force") && DatasetGenerator.WhyNotUpToDate(settings, directory) is null)
            {
                terminal.Info($"Up to date: {Path.GetFullPath(directory)} already holds {Describe(settings)}, every file as manifest.json records it (--force generates anyway).");
                return Task.FromResult(ExitCodes.Success);
            }
            return Task.FromResult(Run(settings, directory, terminal, cancellation));
        });
        return command;
    }

    /// <summary>
    /// <c>--batch next</c>: the batch after the highest one in the RAW tables, its window the 31 days after the
    /// latest load's window (declared by the manifest in <paramref name="directory"/> when it is that load's), else
    /// after their latest event (the course's incremental exercise). An explicit --start moves the window (the end
    /// follows it); an explicit --end still wins.
    /// </summary>
    private static SettingLayers ResolveNextBatch(SettingLayers layers, string directory)
    {
        if (layers.Get("LOAD_BATCH_ID") is not { Text: var batch } || !batch.Equals("next", StringComparison.OrdinalIgnoreCase)) return layers;
        var warehouse = WarehouseSettings.From(layers);
        RawState? state = null;
        if (warehouse.Provider.MayBeMigrated(warehouse))
            using (var opened = Warehouse.Open(warehouse, _ => { }, TimeSpan.FromSeconds(30))) state = opened.ReadState();
        var (next, start, end) = NextBatch.After(state, NextBatch.DeclaredBy(directory, state));
        var resolved = new List<KeyValuePair<string, string?>> { new("LOAD_BATCH_ID", next.ToString(CultureInfo.InvariantCulture)) };
        if (layers.Get("EVENT_DATE_START") is { Source: "flags", Text: var given } &&
            DateOnly.TryParseExact(given, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var givenStart))
            (start, end) = (givenStart, givenStart.AddDays(NextBatch.WindowDays - 1));
        else resolved.Add(new("EVENT_DATE_START", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (layers.Get("EVENT_DATE_END")?.Source != "flags") resolved.Add(new("EVENT_DATE_END", end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        return layers.Add($"--batch next ({warehouse.Describe()})", resolved);
    }

    private static string Describe(GenerationSettings settings) =>
        $"{settings.Players:N0} players (seed {Shorten(settings.Seed.ToString(CultureInfo.InvariantCulture))}, batch {settings.Batch}, {settings.Start:yyyy-MM-dd}..{settings.End:yyyy-MM-dd}" +
        (settings.Anomalies is { } anomalies ? $", anomalies {Shorten(anomalies.Text)})" : ")");

    private static string Shorten(string text) => text.Length <= 24 ? text : $"{text[..20]}… ({text.Length:N0} digits)";

    private static int Run(GenerationSettings settings, string directory, Terminal terminal, CancellationToken cancellation)
    {
        terminal.Info($"Generating {Describe(settings)} into {Path.GetFullPath(directory)}");
        var clock = Stopwatch.StartNew();
        var result = terminal.WithProgress("generate", progress =>
            DatasetGenerator.Generate(settings, directory,
                new Progress<GenerationProgress>(p => progress.Report(
                    ((double)p.PlayersDone / p.PlayersTotal, $"{p.PlayersDone:N0} players, {p.EventsWritten:N0} events"))),
                cancellation));
        var files = result.Manifest.Files;
        terminal.Info($"Wrote {files[DatasetFiles.Players].Rows:N0} players, {files[DatasetFiles.Sessions].Rows:N0} sessions, " +
                      $"{files[DatasetFiles.Events].Rows:N0} events in {clock.Elapsed.TotalSeconds:0.00} s to {result.Directory}");
        if (result.Manifest.Anomalies is { } anomalies)
            terminal.Info($"Mixed in {anomalies.Defects:N0} defects ({settings.Anomalies!.Text}), each listed with its file, line and key in {Path.Combine(result.Directory, anomalies.File)}");
        if (result.NoSessions)
            terminal.Warn("no session fell inside the window, so the sessions and events files hold only their headers " +
                          "(the reference pipeline crashes on these settings; widen the window)");
        return ExitCodes.Success;
    }
}
