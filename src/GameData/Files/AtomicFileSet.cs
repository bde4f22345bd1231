namespace GameData.Files;

/// <summary>
/// Files written under temporary names in their final folder and renamed into place only by
/// <see cref="Commit"/>, so a failed or interrupted run leaves the previous files untouched.
/// Disposing without committing deletes the temporary files; what a killed run left behind is
/// removed by the next one (<see cref="TemporaryFiles"/>).
/// </summary>
public sealed class AtomicFileSet : IDisposable
{
    private readonly string _directory;
    private readonly List<(string Temporary, string Final)> _files = [];
    private readonly List<string> _removals = [];
    private bool _committed;

    /// <summary>Creates the folder if need be; throws <see cref="UnauthorizedAccessException"/> or <see cref="IOException"/>
    /// naming the folder (not a hidden file) when nothing can be written there.</summary>
    public AtomicFileSet(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        var probe = TemporaryFiles.NameFor(Path.Combine(_directory, "probe"));
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"cannot write to {_directory}: permission denied");
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write to {_directory}: {e.Message.Replace(probe, _directory)}", e);
        }
    }

    /// <summary>Opens a new temporary file that <see cref="Commit"/> will rename to <paramref name="fileName"/>.</summary>
    public FileStream Create(string fileName)
    {
        TemporaryFiles.RemoveStale(_directory, fileName);
        var final = Path.Combine(_directory, fileName);
        var temporary = TemporaryFiles.NameFor(final);
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.SequentialScan);
        _files.Add((temporary, final));
        return stream;
    }

    /// <summary>Deletes <paramref name="fileName"/>, if there, when the set is committed: a file the new set no longer has.</summary>
    public void RemoveOnCommit(string fileName) => _removals.Add(Path.Combine(_directory, fileName));

    /// <summary>Renames every file into place, in the order they were created (put the manifest last).</summary>
    public void Commit()
    {
        foreach (var (temporary, final) in _files) File.Move(temporary, final, overwrite: true);
        foreach (var path in _removals) File.Delete(path);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        foreach (var (temporary, _) in _files)
        {
            try { File.Delete(temporary); }
            catch (IOException) { /* removed as stale by the next run */ }
        }
    }
}
