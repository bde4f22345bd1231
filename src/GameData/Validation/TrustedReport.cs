using System.Text.Json;
using GameData.Files;
using GameData.Generation;

namespace GameData.Validation;

/// <summary>
/// A validation report this validator wrote for exactly these files is as good as validating them again: same
/// rules, same options, and every file and the manifest with the SHA-256 it recorded. Hashing costs a fraction
/// of validating, and files hashed before are not read again (<see cref="FileFactsCache"/>).
/// </summary>
public static class TrustedReport
{
    /// <summary>What a validation's result depends on; the validator records it in its report.</summary>
    public static string Fingerprint(ValidationOptions options, string? manifestSha256, IEnumerable<(string File, string? Sha256)> files) =>
        string.Join("|", new[]
        {
            ValidationReport.Validator, options.Strict ? "strict" : "lenient",
            options.Window is { } w ? $"{w.StartDay:yyyy-MM-dd}..{w.EndDay:yyyy-MM-dd}" : "no window",
            $"manifest:{manifestSha256 ?? "none"}",
        }.Concat(files.Select(f => $"{f.File}:{f.Sha256 ?? "missing"}")));

    /// <summary>
    /// The report at <paramref name="reportPath"/> when it holds the result for these files and options, else null.
    /// <paramref name="cacheFolder"/>: see <see cref="FileFactsCache.Of"/>.
    /// </summary>
    public static ValidationReport? Read(string reportPath, ValidationOptions options, string? cacheFolder = null)
    {
        // A device or a FIFO holds no earlier report, and reading a FIFO would wait for a writer.
        if (!File.Exists(reportPath) || SpecialFiles.IsDeviceOrPipe(reportPath) || !Directory.Exists(options.DataDirectory)) return null;
        ValidationReport earlier;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(reportPath));
            if (!json.RootElement.TryGetProperty("validator", out var validator) || validator.GetString() != ValidationReport.Validator)
                return null;
            earlier = ValidationReport.FromJson(json.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
        var folder = DatasetFolder.Open(options.DataDirectory);
        var facts = folder.Facts(remembered: true, cacheFolder);
        var files = DatasetFiles.All.Select(f => (f, facts.GetValueOrDefault(f)?.Sha256));
        return earlier.Fingerprint == Fingerprint(options, folder.ManifestSha256(), files) ? earlier : null;
    }
}
