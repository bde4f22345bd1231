using System.Security.Cryptography;
using GameData.Files;
using GameData.Settings;

namespace GameData.Generation;

/// <summary>
/// A dataset folder: the three CSV files, manifest.json and, with <c>--anomalies</c>, anomalies.json. The one place
/// that answers "are these files the ones manifest.json records?": Generate (up to date), ValidateCsv (a report
/// to trust), Load and the report (may they read the files as they are, or must they validate them first).
/// </summary>
public sealed class DatasetFolder
{
    private DatasetFolder(string directory, DatasetManifest? manifest, string? manifestError)
    {
        Directory = directory;
        Manifest = manifest;
        ManifestError = manifestError;
    }

    public string Directory { get; }

    /// <summary>manifest.json, or null when there is none or it cannot be read (<see cref="ManifestError"/>).</summary>
    public DatasetManifest? Manifest { get; }

    /// <summary>Why manifest.json cannot be read (one line), or null when it can or there is none.</summary>
    public string? ManifestError { get; }

    public bool HasManifest => Manifest is not null || ManifestError is not null;

    /// <summary>Reads the folder's manifest; a folder that does not exist reads as one without files.</summary>
    public static DatasetFolder Open(string directory)
    {
        var path = Path.Combine(directory, DatasetManifest.FileName);
        if (!File.Exists(path)) return new DatasetFolder(directory, null, null);
        try { return new DatasetFolder(directory, DatasetManifest.Read(path), null); }
        catch (Exception e) when (e is InvalidDataException or IOException) { return new DatasetFolder(directory, null, e.Message); }
    }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>Throws <see cref="SettingsException"/> (bad input) unless the folder holds the three files.</summary>
    public void RequireFiles()
    {
        if (!System.IO.Directory.Exists(Directory)) throw new SettingsException($"no such data folder: '{Directory}'");
        var missing = DatasetFiles.All.Where(f => !File.Exists(PathOf(f))).ToList();
        if (missing.Count > 0) throw new SettingsException($"{Directory} lacks {string.Join(", ", missing)}; run Generate first");
    }

    /// <summary>
    /// The first file that is missing or of another size than the manifest records (the first of all without a
    /// manifest); null when all match. Cheap, no byte read: a file of another size cannot be the one recorded.
    /// </summary>
    public string? FileOfAnotherSize() => Manifest is not { } manifest ? DatasetFiles.All[0] : DatasetFiles.All.FirstOrDefault(f =>
        !File.Exists(PathOf(f)) || new FileInfo(PathOf(f)).Length != manifest.Files[f].Bytes);

    /// <summary>
    /// The SHA-256 and rows of each file present, by name: the three CSV files, and anomalies.json when the manifest
    /// declares it. <paramref name="remembered"/>: take the facts of files hashed before (<see cref="FileFactsCache"/>),
    /// as git trusts its index; else read every byte, for a stage an edit that put the old time back must not fool.
    /// <paramref name="cacheFolder"/>: see <see cref="FileFactsCache.Of"/>.
    /// </summary>
    public IReadOnlyDictionary<string, FileFacts> Facts(bool remembered, string? cacheFolder = null)
    {
        var names = DatasetFiles.All.Append(Manifest?.Anomalies?.File).OfType<string>().Where(f => File.Exists(PathOf(f))).ToList();
        var facts = remembered ? FileFactsCache.Of(names.Select(PathOf), cacheFolder)
            : names.AsParallel().ToDictionary(PathOf, f => FileFacts.Of(PathOf(f)));
        return names.ToDictionary(f => f, f => facts[PathOf(f)]);
    }

    /// <summary>The first file (anomalies.json last) that is not as the manifest records it; null when all are.</summary>
    public string? FileNotAsRecorded(bool remembered, string? cacheFolder = null)
    {
        if (FileOfAnotherSize() is { } other) return other;
        var manifest = Manifest!;
        var facts = Facts(remembered, cacheFolder);
        if (DatasetFiles.All.FirstOrDefault(f =>
                facts[f] != new FileFacts(manifest.Files[f].Sha256, manifest.Files[f].Rows)) is { } changed)
            return changed;
        return manifest.Anomalies is { } anomalies && facts.GetValueOrDefault(anomalies.File)?.Sha256 != anomalies.Sha256
            ? anomalies.File : null;
    }

    /// <summary>The SHA-256 of manifest.json followed by anomalies.json when there is one; null without a manifest.</summary>
    public string? ManifestSha256()
    {
        var path = PathOf(DatasetManifest.FileName);
        if (!File.Exists(path)) return null;
        var anomalies = PathOf(AnomalyList.FileName);
        var bytes = File.Exists(anomalies) ? [.. File.ReadAllBytes(path), .. File.ReadAllBytes(anomalies)] : File.ReadAllBytes(path);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
