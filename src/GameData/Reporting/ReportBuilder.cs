using GameData.Files;
using GameData.Generation;
using GameData.Validation;

namespace GameData.Reporting;

/// <summary>
/// Explore: one self-contained HTML profile of a dataset. Files that match their manifest are
/// Generate's own output; otherwise they are validated first, and files that fail get an error and no report.
/// </summary>
public static class ReportBuilder
{
    public static string Build(string dataDirectory, string outputFile, IProgress<string>? steps = null, TextWriter? standardOutput = null)
    {
        var folder = DatasetFolder.Open(dataDirectory);
        folder.RequireFiles();
        var manifest = folder.Manifest;
        // Files without a manifest, or of another size than it says, are validated before DuckDB reads them.
        var sizesMatch = folder.FileOfAnotherSize() is null;
        if (!sizesMatch) RequireValid(dataDirectory, steps);
        // Otherwise hashing runs beside DuckDB's scan, and a mismatch calls for the validation after all. The bytes
        // are hashed, not remembered: an edit that put the old time back must not pass.
        var matchesManifest = Task.Run(() => !sizesMatch || folder.FileNotAsRecorded(remembered: false) is null);

        var declared = manifest?.Anomalies is { } anomalies && File.Exists(Path.Combine(dataDirectory, anomalies.File))
            ? AnomalyList.Read(Path.Combine(dataDirectory, anomalies.File)) : null;
        steps?.Report("running the queries");
        Dictionary<string, QueryResult> results;
        try { results = ReportQueries.Run(dataDirectory, steps, quality: declared is not null || manifest is null); }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            if (!matchesManifest.Result) RequireValid(dataDirectory, steps);
            throw new ReportException(
                $"DuckDB cannot read the files in {dataDirectory}: {e.Message.Split('\n')[0].Trim()}. No report was written");
        }
        if (!matchesManifest.Result) RequireValid(dataDirectory, steps);

        var counts = results["row_counts"].Rows[0].Select(Convert.ToInt64).ToArray();
        var quality = new DataQuality(declared, results.GetValueOrDefault("quality_profile"));
        var html = HtmlReport.Render(manifest, (counts[0], counts[1], counts[2]), ReportCharts.From(results), quality,
            DateTimeOffset.UtcNow);

        return OutputFile.Write(outputFile, html, standardOutput);
    }

    private static void RequireValid(string dataDirectory, IProgress<string>? steps)
    {
        steps?.Report("the files are not the ones manifest.json describes (or it is missing): validating them");
        var report = DatasetValidator.Validate(new ValidationOptions(dataDirectory));
        if (report.IsValid) return;
        throw new ReportException($"the files in {dataDirectory} fail validation ({report.FailureSummary()}); " +
            "run gamedata validate for details. No report was written");
    }
}
