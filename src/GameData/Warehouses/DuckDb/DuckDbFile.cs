using System.Buffers.Binary;
using DuckDB.NET.Data;
using GameData.Files;
using GameData.Loading;
using GameData.Settings;

namespace GameData.Warehouses.DuckDb;

/// <summary>
/// A DuckDB file as the platform uses it: one gamedata process at a time (a lock file beside it, which also
/// outlives the renames below), never touched by DuckDB's extension downloads, and replaced whole by
/// <see cref="Replace"/>: a load writes a copy and renames it into place, because rename is atomic and
/// DuckDB's own commit is not against a kill (duckdb/duckdb#25931: a killed commit can leave part of a
/// large insert behind).
/// </summary>
public sealed class DuckDbFile : IDisposable
{
    private static readonly byte[] Magic = "DUCK"u8.ToArray();

    /// <summary>
    /// The storage versions the bundled DuckDB (1.5) reads: 64 (DuckDB 1.0 and 1.1, and what it writes by default,
    /// so any DuckDB from 1.0 on reads our files) to 68 (a file written for DuckDB 1.5).
    /// </summary>
    private const long NewestReadableVersion = 68;

    /// <summary>
    /// read_csv options for the longest line a valid file may hold: a value may be megabytes long (a GAME_VERSION
    /// of 2.5 MB is valid), past DuckDB's default 2 MB. The read buffer must hold a whole line, so it grows with it.
    /// </summary>
    public const string CsvLineLimit = "max_line_size = 67108864, buffer_size = 67108864";
    private readonly FileStream _lock;

    private DuckDbFile(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    public string Path { get; }

    /// <summary>
    /// Takes the file's lock, waiting up to <paramref name="lockTimeout"/> (zero: not at all) for another gamedata
    /// process, then removes copies (and DuckDB's spill folders) that a killed load left behind, telling
    /// <paramref name="log"/> what it waits for and what it removed.
    /// </summary>
    public static DuckDbFile Lock(string given, Action<string> log, TimeSpan lockTimeout)
    {
        // One lock per real file: a link to it is locked, and replaced, as the file itself.
        var path = RealPath(given);
        RequireDuckDb(path);
        var folder = System.IO.Path.GetDirectoryName(path)!;
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"cannot create the folder of the DuckDB file {path}: {e.Message}");
        }
        var lockPath = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(path)}.lock");
        FileStream? held = null;
        LockWait.Until(() =>
            {
                try
                {
                    // FileShare.None is an exclusive advisory lock (flock) on Unix; the OS drops it when the process dies.
                    held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return true;
                }
                catch (IOException e) when (IsHeldByAnother(e)) { return false; }
                // Named by the user's file, not by the hidden lock file beside it.
                catch (UnauthorizedAccessException)
                {
                    throw new SettingsException($"cannot use the DuckDB file {path}: permission denied in its folder {folder}");
                }
                catch (IOException e)
                {
                    var reason = (e.HResult & 0xFFFF) == ReadOnlyFileSystem ? "is read-only"
                        : $"cannot be written ({e.Message.Replace($" : '{lockPath}'", "")})";
                    throw new SettingsException($"cannot use the DuckDB file {path}: its folder {folder} {reason}");
                }
            }, lockTimeout, TimeSpan.FromMilliseconds(100), log,
            () => $"{path} is in use by another gamedata process (holding {lockPath}); waiting up to {lockTimeout.TotalSeconds:0} s",
            () => $"another gamedata process still holds {lockPath} after {lockTimeout.TotalSeconds:0} s; " +
                "try again when it has finished (or raise --lock-timeout)");
        var file = new DuckDbFile(path, held!);
        foreach (var removed in TemporaryFiles.RemoveStale(folder, System.IO.Path.GetFileName(path)))
            log($"removed {removed}, left by a gamedata process that is gone");
        return file;
    }

    /// <summary>The full path with every symbolic link in it resolved (what realpath(3) gives).</summary>
    public static string RealPath(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var parent = System.IO.Path.GetDirectoryName(full);
        if (parent is null) return full;
        var resolved = System.IO.Path.Combine(RealPath(parent), System.IO.Path.GetFileName(full));
        try
        {
            return new FileInfo(resolved).ResolveLinkTarget(returnFinalTarget: true) is { } target ? RealPath(target.FullName) : resolved;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return resolved; // not there yet: created under this name
        }
        catch (IOException e)
        {
            throw new SettingsException($"cannot resolve the links in {path}: {e.Message}");
        }
    }

    /// <summary>
    /// The lock is taken (flock's EWOULDBLOCK: 11 on Linux, 35 on macOS; a sharing violation, 32, on Windows), as
    /// opposed to a lock file that cannot be created at all.
    /// </summary>
    private static bool IsHeldByAnother(IOException e) => (e.HResult & 0xFFFF) is 11 or 32 or 35;

    private const int ReadOnlyFileSystem = 30; // EROFS

    /// <summary>
    /// "not a DuckDB file" for anything else (a SQLite file, a CSV), before DuckDB guesses at it; and a file a newer
    /// DuckDB rewrote (dbt's, say) refused with the fix. The main header: a checksum, <c>DUCK</c>, the storage version.
    /// </summary>
    public static void RequireDuckDb(string path)
    {
        if (Directory.Exists(path)) throw new SettingsException($"{path} is a folder, not a DuckDB file");
        // Before its lock is made beside it: /dev/null must not get a /dev/.null.lock.
        if (SpecialFiles.IsDeviceOrPipe(path)) throw new SettingsException($"{path} is not a regular file; give a DuckDB file");
        if (!File.Exists(path) || new FileInfo(path).Length == 0) return;
        var header = new byte[20];
        using (var stream = File.OpenRead(path)) stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (!header.AsSpan(8, 4).SequenceEqual(Magic)) throw new SettingsException($"{path} is not a DuckDB file");
        var version = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(12));
        if (version > NewestReadableVersion)
            throw new SettingsException($"{path} is in DuckDB storage version {version}, written by a DuckDB newer than gamedata's 1.5, " +
                                        $"which reads versions 64 to {NewestReadableVersion}; pin duckdb where dbt runs " +
                                        "(venv/bin/pip install 'duckdb>=1.0,<1.6') and recreate the file " +
                                        "(gamedata reset, or delete it and run the chain again)");
    }

    /// <summary>
    /// A connection that never installs or loads extensions by itself: no download from the internet, and a
    /// file DuckDB does not own is an error rather than an attachment through some scanner.
    /// </summary>
    /// <param name="threads">DuckDB's worker threads; null: its default, one per core.</param>
    public static DuckDBConnection Connect(string path, int? threads, string? memoryLimit = null)
    {
        var connection = new DuckDBConnection(ConnectionString(path, threads, memoryLimit));
        connection.Open();
        return connection;
    }

    /// <param name="memoryLimit">DuckDB's memory_limit (e.g. 256MB); past it, work spills to DuckDB's temporary folder.</param>
    /// <remarks>Built by the provider's builder, so that a path holding a semicolon stays one path.</remarks>
    public static string ConnectionString(string path, int? threads, string? memoryLimit = null)
    {
        var builder = new DuckDBConnectionStringBuilder
        {
            DataSource = path,
            ["autoinstall_known_extensions"] = "false",
            ["autoload_known_extensions"] = "false",
        };
        if (threads is not null) builder["threads"] = threads.Value;
        if (memoryLimit is not null) builder["memory_limit"] = memoryLimit;
        return builder.ConnectionString;
    }

    /// <summary>A copy of the file under a temporary name in its folder, for a load to write into.</summary>
    public string Copy()
    {
        var copy = TemporaryFiles.NameFor(Path);
        try { File.Copy(Path, copy); }
        catch (IOException e)
        {
            Discard(copy);
            throw new WarehouseException($"cannot copy {Path} to load into it ({e.Message.Replace(copy, "its copy")}); nothing was loaded",
                e);
        }
        return copy;
    }

    /// <summary>
    /// Renames a finished copy over the file. The copy must be closed and checkpointed (no WAL of its own), and
    /// the file's connections closed with an empty WAL, so that no log of the old file is replayed onto the new.
    /// </summary>
    public void Replace(string copy)
    {
        foreach (var wal in new[] { copy + ".wal", Path + ".wal" })
            if (File.Exists(wal) && new FileInfo(wal).Length > 0)
                throw new WarehouseException($"DuckDB left a write-ahead log ({wal}) that was not checkpointed; nothing was loaded");
        File.Delete(Path + ".wal");
        File.Move(copy, Path, overwrite: true);
    }

    /// <summary>Removes a copy that was not renamed into place, and its log.</summary>
    public static void Discard(string copy)
    {
        foreach (var file in new[] { copy, copy + ".wal" })
        {
            try { File.Delete(file); }
            catch (IOException) { /* removed as stale by the next run */ }
        }
    }

    public void Dispose() => _lock.Dispose();
}
