using System.Globalization;
using System.Text.RegularExpressions;

namespace GameData.Tests;

/// <summary>
/// Everything a test run writes to disk (datasets of about 1 GB, temporary folders) lives in one folder of the run,
/// removed when the run ends, also after a failure; a run killed before that is cleaned up by the next one.
/// </summary>
[SetUpFixture]
public sealed partial class TestRunFolders
{
    private static readonly string Parent = Path.Combine(Path.GetTempPath(), "gamedata-tests");
    private static readonly string Run = Path.Combine(Parent, $"run-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A path inside this run's folder.</summary>
    public static string Of(string name) => Path.Combine(Run, name);

    [OneTimeSetUp]
    public void RemoveThoseOfDeadRuns()
    {
        if (!Directory.Exists(Parent)) return;
        // This layout's run-<pid>, and the datasets-<pid>, anomalies-<pid>, ... of the layout before it.
        foreach (var folder in Directory.EnumerateDirectories(Parent))
            if (OwnedByProcess().Match(Path.GetFileName(folder)) is { Success: true } match
                && !GameData.Files.TemporaryFiles.IsRunning(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)))
                Delete(folder);
    }

    [OneTimeTearDown]
    public void RemoveThisRunsFolder() => Delete(Run);

    private static void Delete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (UnauthorizedAccessException) { /* a test's read-only folder: left for the next run's clean-up */ }
    }

    [GeneratedRegex(@"^[a-z-]+-(\d+)$")]
    private static partial Regex OwnedByProcess();
}
