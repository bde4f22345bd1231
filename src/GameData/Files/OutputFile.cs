using GameData.Settings;

namespace GameData.Files;

/// <summary>
/// A file the user names for a command's output (<c>validate --report</c>, <c>--result-json</c>, <c>report --out</c>).
/// A regular file is written under a temporary name beside it and renamed into place, so a failed run leaves the
/// old one; through a symbolic link, beside the file the link points to, so the link stays a link. A device, a
/// FIFO or a socket (<c>/dev/null</c>, <c>/dev/stdout</c>) is written into, never replaced; <c>-</c> is standard output.
/// </summary>
public static class OutputFile
{
    public const string StandardOutput = "-";

    /// <summary>
    /// Checked before the work: a folder, or a place where nothing can be written, is a <see cref="SettingsException"/>
    /// naming <paramref name="flag"/> and the user's <paramref name="path"/>, relative to <paramref name="baseDirectory"/>
    /// (default: the current folder).
    /// </summary>
    public static void RequireWritable(string flag, string path, string? baseDirectory = null)
    {
        if (path == StandardOutput) return;
        var full = Path.GetFullPath(path, baseDirectory ?? Directory.GetCurrentDirectory());
        if (SpecialFiles.IsDeviceOrPipe(full)) return;
        var target = Target(full);
        if (Directory.Exists(target)) throw new SettingsException($"{flag} '{path}' is a folder; give a file's name");
        // The temporary file goes beside the target; missing folders are made in the nearest one that exists.
        var folder = Path.GetDirectoryName(target);
        while (folder is not null && !Directory.Exists(folder))
        {
            if (File.Exists(folder)) throw new SettingsException($"{flag} '{path}' cannot be written: {folder} is a file, not a folder");
            folder = Path.GetDirectoryName(folder);
        }
        if (folder is null) throw new SettingsException($"{flag} '{path}' cannot be written: no such drive");
        var probe = TemporaryFiles.NameFor(Path.Combine(folder, Path.GetFileName(target)));
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (UnauthorizedAccessException)
        {
            throw new SettingsException($"{flag} '{path}' cannot be written: permission denied in {folder}");
        }
        catch (IOException e)
        {
            throw new SettingsException(
                $"{flag} '{path}' cannot be written: {e.Message.Replace($" : '{probe}'", "").Replace(probe, folder)} ({folder})");
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> as the class says; returns the full path written.
    /// <paramref name="standardOutput"/>: what <c>-</c> means (the command's standard output; default: the process's own).
    /// </summary>
    public static string Write(string path, string text, TextWriter? standardOutput = null)
    {
        if (path == StandardOutput)
        {
            if (standardOutput is not null)
            {
                standardOutput.Write(text);
                standardOutput.Flush();
                return path;
            }
            using var output = new StreamWriter(Console.OpenStandardOutput());
            output.Write(text);
            return path;
        }
        if (SpecialFiles.IsDeviceOrPipe(path))
        {
            using var device = new StreamWriter(new FileStream(path, FileMode.Open, FileAccess.Write));
            device.Write(text);
            return Path.GetFullPath(path);
        }
        var target = Target(path);
        using var files = new AtomicFileSet(Path.GetDirectoryName(target)!);
        using (var writer = new StreamWriter(files.Create(Path.GetFileName(target))))
            writer.Write(text);
        files.Commit();
        return target;
    }

    /// <summary>The full path with symbolic links followed to the file they end at, which need not exist yet.</summary>
    private static string Target(string path)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        return file.LinkTarget is null ? file.FullName : file.ResolveLinkTarget(returnFinalTarget: true)!.FullName;
    }
}
