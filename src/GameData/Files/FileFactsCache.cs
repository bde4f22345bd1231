using System.Text.Json;

namespace GameData.Files;

/// <summary>
/// SHA-256 and rows of files already read, remembered in the user's cache folder as git's index remembers them:
/// a file whose full path, size and time last written are the remembered ones is not read again. Only checks
/// that decide whether work can be skipped use it (Generate's "up to date", a trusted validation report); Load and
/// the report read every byte anyway and hash them themselves. Like git, it trusts a file's
/// time: an edit that puts the old time back (<c>touch -d</c>) goes unseen until <c>--force</c>.
/// </summary>
public static class FileFactsCache
{
    /// <summary>Where the cache lives instead of <c>$XDG_CACHE_HOME/gamedata</c> (or <c>~/.cache/gamedata</c>).</summary>
    public const string FolderVariable = "GAMEDATA_CACHE_DIR";

    // A file read within this time of its last write could be written again in the same tick of the file
    // system's clock, its time unchanged: such a file is read every time until it is older.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private const int MostFilesRemembered = 64;
    private const string FileName = "file-facts.json";

    /// <summary>
    /// The facts of each existing file of <paramref name="paths"/>; files not remembered are read in parallel.
    /// <paramref name="cacheFolder"/>: where the cache is (<see cref="UsersFolder"/>); null remembers nothing.
    /// </summary>
    public static IReadOnlyDictionary<string, FileFacts> Of(IEnumerable<string> paths, string? cacheFolder)
    {
        var folder = cacheFolder;
        var remembered = folder is null ? [] : Read(folder);
        var looked = paths.Where(File.Exists).Distinct().AsParallel().Select(path =>
        {
            var key = Path.GetFullPath(path);
            var before = Stamp.Of(path);
            if (remembered.TryGetValue(key, out var entry) && entry.Stamp == before)
                return (Path: path, Key: key, Entry: entry, Learned: false);
            var readAt = DateTime.UtcNow;
            var facts = FileFacts.Of(path);
            // Remember only what was read whole and unchanged, and was last written well before.
            var settled = Stamp.Of(path) == before && before.WrittenUtc < readAt - Settle;
            return (Path: path, Key: key, Entry: new Entry(before, facts.Sha256, facts.Rows, readAt), Learned: settled);
        }).ToList();

        var learned = looked.Where(l => l.Learned).ToList();
        if (learned.Count > 0 && folder is not null)
        {
            // Read again: another process may have written the cache meanwhile.
            var latest = Read(folder);
            foreach (var l in learned) latest[l.Key] = l.Entry;
            Write(folder, latest);
        }
        return looked.ToDictionary(l => l.Path, l => new FileFacts(l.Entry.Sha256, l.Entry.Rows));
    }

    /// <summary>
    /// The user's cache folder as <paramref name="environment"/> names it, or null when there is no home folder to
    /// hold one: then nothing is remembered.
    /// </summary>
    public static string? UsersFolder(IReadOnlyDictionary<string, string?> environment)
    {
        string? Variable(string name) => environment.TryGetValue(name, out var value) && value is { Length: > 0 } ? value : null;
        if (Variable(FolderVariable) is { } folder) return Path.GetFullPath(folder);
        // The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
        var caches = Variable("XDG_CACHE_HOME") is { } xdg && Path.IsPathRooted(xdg) ? xdg
            : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Path.Combine(Home(Variable("HOME")), ".cache");
        return Path.IsPathRooted(caches) ? Path.Combine(caches, "gamedata") : null;
    }

    /// <summary>
    /// As <see cref="Environment.GetFolderPath(Environment.SpecialFolder)"/> tells it: HOME, and no home at all when that folder
    /// does not exist.
    /// </summary>
    private static string Home(string? home) =>
        home is null ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : Directory.Exists(home) ? home : "";

    private static Dictionary<string, Entry> Read(string folder)
    {
        try
        {
            var path = Path.Combine(folder, FileName);
            if (!File.Exists(path)) return [];
            return JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllBytes(path)) ?? [];
        }
        // A cache that cannot be read is an empty one: the files are read instead.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException) { return []; }
    }

    /// <summary>To a temporary name, then renamed: two processes writing at the same moment lose at most what one learned.</summary>
    private static void Write(string folder, Dictionary<string, Entry> entries)
    {
        var kept = entries.OrderByDescending(e => e.Value.ReadUtc).Take(MostFilesRemembered).ToDictionary();
        try
        {
            Directory.CreateDirectory(folder);
            TemporaryFiles.RemoveStale(folder, FileName);
            var path = Path.Combine(folder, FileName);
            var temporary = TemporaryFiles.NameFor(path);
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(kept));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* no cache: the files are read next time */ }
    }

    private sealed record Entry(Stamp Stamp, string Sha256, long Rows, DateTime ReadUtc);

    /// <summary>What changes when a file is written: its size and its time last written (to the 100 ns).</summary>
    private sealed record Stamp(long Bytes, DateTime WrittenUtc)
    {
        public static Stamp Of(string path)
        {
            var info = new FileInfo(path);
            return new Stamp(info.Length, info.LastWriteTimeUtc);
        }
    }
}
