using GameData.Validation;

namespace GameData.Chain;

/// <summary>ValidateCsv: the files checked, or an earlier report of these very files trusted instead of reading them again.</summary>
public static class ValidateCsv
{
    /// <param name="reportPath">The full path of an earlier report to trust if it is of these files; null when none is named.</param>
    /// <param name="cacheFolder">Where facts of files already read are remembered (<see cref="Files.FileFactsCache.Of"/>).</param>
    /// <returns>The report, and whether it is the earlier one (then it need not be written again).</returns>
    public static (ValidationReport Report, bool Trusted) Run(ValidationOptions options, string? reportPath, string? cacheFolder,
        Action<string> log, IProgress<double> progress, CancellationToken cancellation)
    {
        if (reportPath is not null && TrustedReport.Read(reportPath, options, cacheFolder) is { } earlier)
        {
            log($"Up to date: {reportPath} is the validation of these very files (the same SHA-256 values), so they are not read again");
            return (earlier, true);
        }
        log($"Validating {options.DataDirectory}{(options.Strict ? " (strict)" : "")}");
        return (DatasetValidator.Validate(options, progress, cancellation), false);
    }
}
