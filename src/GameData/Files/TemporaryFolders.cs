using System.Globalization;
using System.Text.RegularExpressions;

namespace GameData.Files;

/// <summary>
/// Scratch folders in the system's temporary folder, named <c>&lt;prefix&gt;&lt;pid&gt;-&lt;random&gt;</c> so that what a
/// killed process left behind can be recognised by the next run and removed, without touching a live one's.
/// </summary>
public static class TemporaryFolders
{
    public static DirectoryInfo Create(string prefix) => Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(),
            $"{prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}"));

    /// <summary>Deletes the folders named with <paramref name="prefix"/> whose process is gone; returns their paths.</summary>
    public static IReadOnlyList<string> RemoveStale(string prefix)
    {
        var pattern = new Regex($@"^{Regex.Escape(prefix)}(\d+)-[0-9a-f]{{6}}$");
        var removed = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), $"{prefix}*"))
        {
            var match = pattern.Match(Path.GetFileName(folder));
            if (!match.Success || !int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var owner)
                || TemporaryFiles.IsRunning(owner)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
                removed.Add(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* tried again next time */ }
        }
        return removed;
    }
}
