using System.Globalization;
using GameData.Files;
using GameData.Settings;

namespace GameData.Generation;

public sealed record GenerationProgress(long PlayersDone, long PlayersTotal, long EventsWritten);

/// <param name="NextEventNumber">The number the next event would get: event numbers skip events outside the window.</param>
public sealed record GenerationResult(string Directory, DatasetManifest Manifest, long NextEventNumber)
{
    /// <summary>True when no session fell inside the window (the reference pipeline crashes there).</summary>
    public bool NoSessions => Manifest.Files[DatasetFiles.Sessions].Rows == 0;
}

/// <summary>
/// Generate: players → sessions → events, streamed. The three stages each own a generator seeded
/// afresh, so they can run interleaved player by player: memory stays flat however many players.
/// </summary>
public static class DatasetGenerator
{
    public const string Name = "gamedata-generator/1";

    public static GenerationResult Generate(
        GenerationSettings settings,
        string outputDirectory,
        IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        using var onlyWriter = LockOutput(outputDirectory);
        if (settings.Anomalies is { } defects) return defects.Generate(settings, outputDirectory, progress, cancellation);
        using var files = OpenOutput(outputDirectory);
        var ids = new RawIds(settings.Batch);
        using var players = new RawCsvWriter(files.Create(DatasetFiles.Players), PlayerGenerator.Header);
        using var sessions = new RawCsvWriter(files.Create(DatasetFiles.Sessions), SessionGenerator.Header);
        using var events = new RawCsvWriter(files.Create(DatasetFiles.Events), EventGenerator.Header);

        var playerGenerator = new PlayerGenerator(settings);
        var sessionGenerator = new SessionGenerator(settings);
        var eventGenerator = new EventGenerator(settings, events, ids);
        var playerSessions = new List<Session>();
        const int progressEvery = 1000;

        for (var i = 1; i <= settings.Players; i++)
        {
            var player = playerGenerator.Next();
            PlayerGenerator.WriteRow(players, ids, player);
            sessionGenerator.Generate(player, playerSessions);
            foreach (var session in playerSessions)
            {
                SessionGenerator.WriteRow(sessions, ids, player, session);
                eventGenerator.Generate(player, session);
            }
            if (i % progressEvery == 0 || i == settings.Players)
            {
                cancellation.ThrowIfCancellationRequested();
                progress?.Report(new GenerationProgress(i, settings.Players, events.Rows));
            }
        }

        var fileEntries = new Dictionary<string, ManifestFile>
        {
            [DatasetFiles.Players] = Complete(players),
            [DatasetFiles.Sessions] = Complete(sessions),
            [DatasetFiles.Events] = Complete(events),
        };
        var manifest = new DatasetManifest(Name, DateTimeOffset.UtcNow, ManifestSettingsOf(settings),
            ManifestWindowOf(settings.Window), fileEntries);
        using (var manifestStream = files.Create(DatasetManifest.FileName))
        using (var writer = new StreamWriter(manifestStream))
            writer.Write(manifest.ToJson());

        files.RemoveOnCommit(AnomalyList.FileName); // a clean dataset declares no defects
        files.Commit();
        return new GenerationResult(Path.GetFullPath(outputDirectory), manifest, eventGenerator.Created);
    }

    /// <summary>
    /// The folder already holds what these settings generate: manifest.json of this generator with the same settings
    /// and window, and every file as it records (<see cref="DatasetFolder.FileNotAsRecorded"/>, from the files hashed
    /// before). Null when up to date, else why not (for the log). <paramref name="cacheFolder"/>: see <see cref="FileFactsCache.Of"/>.
    /// </summary>
    public static string? WhyNotUpToDate(GenerationSettings settings, string outputDirectory, string? cacheFolder = null)
    {
        var folder = DatasetFolder.Open(outputDirectory);
        if (folder.Manifest is not { } manifest) return folder.HasManifest ? "manifest.json cannot be read" : "no manifest.json";
        if (manifest.Generator != Name || manifest.Settings != ManifestSettingsOf(settings)
            || manifest.Window != ManifestWindowOf(settings.Window))
            return "the settings differ";
        if (folder.FileOfAnotherSize() is { } other) return $"{other} is missing or of another size";
        return folder.FileNotAsRecorded(remembered: true, cacheFolder) is { } changed ? $"{changed} differs from manifest.json" : null;
    }

    /// <summary>One generate at a time per folder: a second refuses at once rather than leave a mixed set.</summary>
    private static FolderLock LockOutput(string outputDirectory)
    {
        using (OpenOutput(outputDirectory)) { } // creates the folder, or says why it cannot be written
        return FolderLock.Take(Path.GetFullPath(outputDirectory));
    }

    internal static AtomicFileSet OpenOutput(string outputDirectory)
    {
        try
        {
            return new AtomicFileSet(outputDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new SettingsException($"cannot write to the output folder '{outputDirectory}': " +
                $"{e.Message.Replace($"cannot write to {Path.GetFullPath(outputDirectory)}: ", "")}");
        }
    }

    internal static ManifestFile Complete(RawCsvWriter csv)
    {
        var sha256 = csv.Complete();
        return new ManifestFile(csv.Rows, csv.Bytes, sha256);
    }

    public static ManifestSettings ManifestSettingsOf(GenerationSettings s) => new(
        s.Players, s.MaxSessionsPerPlayer, s.GameVersion, s.Seed.ToString(CultureInfo.InvariantCulture), s.Batch,
        s.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        s.Anomalies?.Text);

    public static ManifestWindow ManifestWindowOf(EventWindow window) => new(
        $"{window.StartDay:yyyy-MM-dd} 00:00:00", $"{window.EndDay.AddDays(1):yyyy-MM-dd} 00:00:00");
}
