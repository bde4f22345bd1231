using GameData.Generation;
using GameData.Settings;
using GameData.Validation;

namespace GameData.Loading;

/// <summary>
/// Load: decides the plan (files, batch, mode) against what the warehouse holds, then has the
/// warehouse load it in one transaction. Everything that can be refused is refused before any write.
/// </summary>
public static class DatasetLoader
{
    /// <param name="mode">The mode asked for, or null to decide: nothing to do when the RAW tables already hold
    /// exactly these files; else <paramref name="askUser"/> when a person is there, else recreate only into empty
    /// RAW tables.</param>
    public static LoadPlan Plan(IWarehouse warehouse, string dataDirectory, LoadMode? mode, Func<RawState, LoadMode>? askUser)
    {
        var (batch, files, source, anomalies) = FilesOf(dataDirectory);
        var state = warehouse.ReadState()
                    ?? throw new WarehouseException(
                        $"the RAW tables do not exist in {warehouse.Describe()}; run MigrateRaw first (gamedata migrate)");
        var now = DateTimeOffset.UtcNow;
        var upToDate = mode is null && !state.IsEmpty && state.HoldsExactly(files);
        var chosen = mode ?? (upToDate || state.IsEmpty ? LoadMode.Recreate : askUser is not null ? askUser(state)
            : throw new SettingsException(
                $"the RAW tables already hold {state.Players:N0} players, {state.Events:N0} events; choose --mode recreate " +
                "(replace them with this batch) or --mode append (add only rows whose key is new)"));
        return new LoadPlan(LoadPlan.NewLoadId(now), Path.GetFullPath(dataDirectory), batch, files, source, chosen, now, upToDate,
            anomalies);
    }

    public static LoadCounts Run(IWarehouse warehouse, LoadPlan plan, IProgress<string> steps, CancellationToken cancellation)
    {
        if (plan.UpToDate)
        {
            var none = new TableCounts(0, 0);
            return new LoadCounts(none, none, none);
        }
        try
        {
            return warehouse.Load(plan, steps, cancellation);
        }
        catch
        {
            warehouse.RecordFailure(plan);
            throw;
        }
    }

    /// <summary>
    /// The files' rows and SHA-256: from manifest.json when Generate wrote the folder; for files from elsewhere
    /// (the original pipeline's output, files an instructor hands out) from a validation, which they must pass.
    /// Anomalies: the manifest declares defects mixed in on purpose.
    /// </summary>
    public static (int Batch, IReadOnlyDictionary<string, ManifestFile> Files, string Source, bool Anomalies) FilesOf(string dataDirectory)
    {
        var folder = DatasetFolder.Open(dataDirectory);
        folder.RequireFiles();
        if (!folder.HasManifest)
        {
            var report = DatasetValidator.Validate(new ValidationOptions(dataDirectory));
            if (!report.IsValid)
                throw new SettingsException($"{dataDirectory} has no manifest.json and its files fail validation " +
                                            $"({report.FailureSummary()}); run gamedata validate for details; nothing was loaded");
            return (report.Batch, report.Files, "their validation", false);
        }
        var manifest = folder.Manifest ?? throw new SettingsException(folder.ManifestError!);
        if (folder.FileOfAnotherSize() is { } changed)
            throw new SettingsException(
                $"{changed} changed after it was generated (its size differs from manifest.json); nothing was loaded");
        return (manifest.Settings.Batch, manifest.Files, DatasetManifest.FileName, manifest.Anomalies is not null);
    }
}

/// <summary>
/// The course's incremental exercise: the next batch starts the day after the latest loaded batch's window, for
/// 31 days. Its window is the one its manifest declares, when that manifest is at hand (its files are those of
/// the latest load); else the day after the latest loaded event.
/// </summary>
public static class NextBatch
{
    public const int WindowDays = 31;

    /// <param name="latestLoad">The settings of the latest load's dataset (<see cref="DeclaredBy"/>), when known.</param>
    public static (int Batch, DateOnly Start, DateOnly End) After(RawState? state, ManifestSettings? latestLoad = null)
    {
        if (state?.HighestBatch is not { } highest || state.LatestEventTime is not { Length: >= 10 } latest)
            return (1, GenerationSettings.Defaults.Start, GenerationSettings.Defaults.End);
        // Not the latest event when the window is known: a dataset with declared defects has an event 20 years ahead.
        var declaredEnd = latestLoad is null ? null : Date(latestLoad.End);
        var start = (declaredEnd ?? Date(latest[..10])
            ?? throw new SettingsException(
                $"--batch next: the latest loaded event time '{latest}' is not a date (a declared defect?); give --start")).AddDays(1);
        return (highest + 1, start, start.AddDays(WindowDays - 1));
    }

    /// <summary>
    /// The settings in <paramref name="folder"/>'s manifest.json if its files are exactly those of the latest
    /// successful load (the same SHA-256 values), else null.
    /// </summary>
    public static ManifestSettings? DeclaredBy(string folder, RawState? state)
    {
        var path = Path.Combine(folder, DatasetManifest.FileName);
        if (state?.LatestLoadFiles is not { } loaded || !File.Exists(path)) return null;
        try
        {
            var manifest = DatasetManifest.Read(path);
            return DatasetFiles.All.All(f => manifest.Files.TryGetValue(f, out var entry) && loaded.GetValueOrDefault(f) == entry.Sha256)
                ? manifest.Settings : null;
        }
        catch (InvalidDataException) { return null; }
    }

    private static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var date) ? date : null;
}
