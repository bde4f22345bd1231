using GameData.Files;
using GameData.Generation;
using GameData.Loading;
using GameData.Settings;
using GameData.Validation;

namespace GameData.Reporting;

/// <summary>Thrown when the data cannot be reported on (files that fail validation); one line for the user.</summary>
public sealed class ReportException(string message) : Exception(message);

/// <summary>
/// Explore: one self-contained HTML profile of a dataset. Files that match their manifest are
/// Generate's own output; otherwise they are validated first, and files that fail get an error and no report.
/// </summary>
public static class ReportBuilder
{
    public static string Build(string dataDirectory, string outputFile, IProgress<string>? steps = null)
    {
        if (!Directory.Exists(dataDirectory)) throw new SettingsException($"no such data folder: '{dataDirectory}'");
        var missing = DatasetFiles.All.Where(f => !File.Exists(Path.Combine(dataDirectory, f))).ToList();
        if (missing.Count > 0) throw new SettingsException($"{dataDirectory} lacks {string.Join(", ", missing)}; run Generate first");

        var manifestPath = Path.Combine(dataDirectory, DatasetManifest.FileName);
        var manifest = File.Exists(manifestPath) ? TryRead(manifestPath) : null;
        // Hashing runs beside DuckDB's scan; a mismatch then calls for a full validation.
        var matchesManifest = Task.Run(() => manifest is not null && DatasetFiles.All.All(f =>
            new FileInfo(Path.Combine(dataDirectory, f)).Length == manifest.Files[f].Bytes &&
            FileDigests.Sha256Of(Path.Combine(dataDirectory, f)) == manifest.Files[f].Sha256));

        steps?.Report("running the queries");
        var results = ReportQueries.Run(dataDirectory, steps);
        if (!matchesManifest.Result) RequireValid(dataDirectory, steps);

        var counts = results["row_counts"].Rows[0].Select(Convert.ToInt64).ToArray();
        var html = HtmlReport.Render(manifest, (counts[0], counts[1], counts[2]), ReportCharts.From(results), DateTimeOffset.UtcNow);

        var fullPath = Path.GetFullPath(outputFile);
        using var files = new AtomicFileSet(Path.GetDirectoryName(fullPath)!);
        using (var writer = new StreamWriter(files.Create(Path.GetFileName(fullPath))))
            writer.Write(html);
        files.Commit();
        return fullPath;
    }

    private static DatasetManifest? TryRead(string path)
    {
        try { return DatasetManifest.Read(path); }
        catch (InvalidDataException) { return null; }
    }

    private static void RequireValid(string dataDirectory, IProgress<string>? steps)
    {
        steps?.Report("the files differ from manifest.json (or it is missing): validating them");
        var report = DatasetValidator.Validate(new ValidationOptions(dataDirectory));
        if (report.IsValid) return;
        var broken = report.Broken.Where(report.Fails).ToList();
        var first = report.Examples(broken[0]).FirstOrDefault();
        throw new ReportException($"the files in {dataDirectory} fail validation ({string.Join(", ", broken.Select(r => $"{r.Id} x{report.Count(r)}"))}; " +
                                  $"first: {first}); run gamedata validate for details. No report was written");
    }
}
