using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GameData.Files;

/// <summary>
/// Names for files written before they are renamed into place: hidden, beside the final file (so the rename
/// stays on one file system), and carrying the writer's process ID, so that what a killed process left
/// behind can be recognised and removed by the next run without touching a live writer's files.
/// </summary>
public static class TemporaryFiles
{
    // A name NameFor made, after a folder separator, a quote or a space: ".file.csv.1234-0a1b2c3d.tmp".
    private static readonly Regex TemporaryName = new(@"(^|[/\\'""\s])\.([^/\\'""\s]+)\.\d+-[0-9a-f]{8}\.tmp(?:\.wal)?");

    /// <summary><c>.name.&lt;pid&gt;-&lt;random&gt;.tmp</c> in the folder of <paramref name="finalPath"/>.</summary>
    public static string NameFor(string finalPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(finalPath))!,
            $".{Path.GetFileName(finalPath)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-" +
            $"{Guid.NewGuid().ToString("N")[..8]}.tmp");

    /// <summary>
    /// <paramref name="message"/> with each temporary file named as the file it was to become (an error from a full
    /// disk, say): the user named that file and never saw the other.
    /// </summary>
    public static string NamedAsTheirTargets(string message) => TemporaryName.Replace(message, "$1$2");

    /// <summary>
    /// Deletes temporary files for <paramref name="fileName"/> whose process is gone: the files, their DuckDB logs,
    /// and the folders DuckDB spills a large load into (<c>.name.&lt;pid&gt;-&lt;random&gt;.tmp.tmp/</c>). Returns what it removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveStale(string folder, string fileName)
    {
        var removed = new List<string>();
        if (!Directory.Exists(folder)) return removed;
        var pattern = new Regex($@"^\.{Regex.Escape(fileName)}\.(\d+)-[0-9a-f]{{8}}\.tmp(\.wal|\.tmp)?$");
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, $".{fileName}.*"))
        {
            var match = pattern.Match(Path.GetFileName(path));
            if (!match.Success || IsRunning(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))) continue;
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                else File.Delete(path);
                removed.Add(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* tried again next time */ }
        }
        return removed;
    }

    internal static bool IsRunning(int processId)
    {
        if (processId == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
