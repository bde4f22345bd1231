namespace GameData.Files;

/// <summary>
/// Files written under temporary names in their final folder and renamed into place only by
/// <see cref="Commit"/>, so a failed or interrupted run leaves the previous files untouched.
/// Disposing without committing deletes the temporary files.
/// </summary>
public sealed class AtomicFileSet : IDisposable
{
    private readonly string _directory;
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private readonly List<(string Temporary, string Final)> _files = [];
    private bool _committed;

    public AtomicFileSet(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    /// <summary>Opens a new temporary file that <see cref="Commit"/> will rename to <paramref name="fileName"/>.</summary>
    public FileStream Create(string fileName)
    {
        var temporary = Path.Combine(_directory, $".{fileName}.{_tag}.tmp");
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.SequentialScan);
        _files.Add((temporary, Path.Combine(_directory, fileName)));
        return stream;
    }

    /// <summary>Renames every file into place, in the order they were created (put the manifest last).</summary>
    public void Commit()
    {
        foreach (var (temporary, final) in _files) File.Move(temporary, final, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        foreach (var (temporary, _) in _files)
        {
            try { File.Delete(temporary); }
            catch (IOException) { /* best effort: a stray .tmp file is harmless */ }
        }
    }
}
