using GameData.Anomalies;
using GameData.Files;
using GameData.Generation;
using GameData.Loading;
using GameData.Settings;
using GameData.Validation;

namespace GameData.Reporting;

/// <summary>Thrown when the data cannot be reported on (files that fail validation); one line for the user.</summary>
public sealed class ReportException(string message) : GameDataException(message, ExitCodes.Failed);

/// <summary>
/// Explore: one self-contained HTML profile of a dataset. Files that match their manifest are
/// Generate's own output; otherwise they are validated first, and files that fail get an error and no report.
/// </summary>
public static class ReportBuilder
{
    public static string Build(string dataDirectory, string outputFile, IProgress<string>? steps = null, TextWriter? standardOutput = null)
    {
        if (!Directory.Exists(dataDirectory)) throw new SettingsException($"no such data folder: '{dataDirectory}'");
        var missing = DatasetFiles.All.Where(f => !File.Exists(Path.Combine(dataDirectory, f))).ToList();
        if (missing.Count > 0) throw new SettingsException($"{dataDirectory} lacks {string.Join(", ", missing)}; run Generate first");

        var manifestPath = Path.Combine(dataDirectory, DatasetManifest.FileName);
        var manifest = File.Exists(manifestPath) ? TryRead(manifestPath) : null;
        // Files without a manifest, or of another size than it says, are validated before DuckDB reads them.
        var sizesMatch = manifest is not null && DatasetFiles.All.All(f =>
            manifest.Files.TryGetValue(f, out var entry) && new FileInfo(Path.Combine(dataDirectory, f)).Length == entry.Bytes);
        if (!sizesMatch) RequireValid(dataDirectory, steps);
        // Otherwise hashing runs beside DuckDB's scan, and a mismatch calls for the validation after all. The bytes
        // are hashed, not looked up in the file-facts cache: an edit that put the old time back must not pass.
        var matchesManifest = Task.Run(() => !sizesMatch ||
            DatasetFiles.All.AsParallel().All(f => FileDigests.Of(Path.Combine(dataDirectory, f)).Sha256 == manifest!.Files[f].Sha256));

        var declared = manifest?.Anomalies is { } anomalies && File.Exists(Path.Combine(dataDirectory, anomalies.File))
            ? AnomalyList.Read(Path.Combine(dataDirectory, anomalies.File)) : null;
        steps?.Report("running the queries");
        Dictionary<string, QueryResult> results;
        try { results = ReportQueries.Run(dataDirectory, steps, quality: declared is not null || manifest is null); }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            if (!matchesManifest.Result) RequireValid(dataDirectory, steps);
            throw new ReportException($"DuckDB cannot read the files in {dataDirectory}: {e.Message.Split('\n')[0].Trim()}. No report was written");
        }
        if (!matchesManifest.Result) RequireValid(dataDirectory, steps);

        var counts = results["row_counts"].Rows[0].Select(Convert.ToInt64).ToArray();
        var quality = new DataQuality(declared, results.GetValueOrDefault("quality_profile"));
        var html = HtmlReport.Render(manifest, (counts[0], counts[1], counts[2]), ReportCharts.From(results), quality, DateTimeOffset.UtcNow);

        return OutputFile.Write(outputFile, html, standardOutput);
    }

    private static DatasetManifest? TryRead(string path)
    {
        try { return DatasetManifest.Read(path); }
        catch (InvalidDataException) { return null; }
    }

    private static void RequireValid(string dataDirectory, IProgress<string>? steps)
    {
        steps?.Report("the files are not the ones manifest.json describes (or it is missing): validating them");
        var report = DatasetValidator.Validate(new ValidationOptions(dataDirectory));
        if (report.IsValid) return;
        throw new ReportException($"the files in {dataDirectory} fail validation ({report.FailureSummary()}); run gamedata validate for details. No report was written");
    }
}
