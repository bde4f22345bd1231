using System.Text.Json;
using System.Text.Json.Serialization;

namespace GameData.Generation;

/// <summary>
/// <c>manifest.json</c>: how the stages talk. It records the settings a dataset was generated with,
/// and each file's row count and SHA-256, so later stages can refuse files changed after generation.
/// </summary>
public sealed record DatasetManifest(
    [property: JsonPropertyName("generator")] string Generator,
    [property: JsonPropertyName("generated_at")] DateTimeOffset GeneratedAt,
    [property: JsonPropertyName("settings")] ManifestSettings Settings,
    [property: JsonPropertyName("window")] ManifestWindow Window,
    [property: JsonPropertyName("files")] IReadOnlyDictionary<string, ManifestFile> Files,
    [property: JsonPropertyName("anomalies"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    ManifestAnomalies? Anomalies = null)
{
    public const string FileName = "manifest.json";

    public string ToJson() => JsonSerializer.Serialize(this, DatasetJson.Default.DatasetManifest) + "\n";

    /// <summary>Reads a manifest; throws <see cref="InvalidDataException"/> with a one-line reason if it is not one.</summary>
    public static DatasetManifest Read(string path)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize(File.ReadAllText(path), DatasetJson.Default.DatasetManifest);
            if (manifest?.Settings is null || manifest.Files is null || manifest.Window is null)
                throw new InvalidDataException($"{path}: not a dataset manifest (settings, window or files missing)");
            if (DatasetFiles.All.FirstOrDefault(f => !manifest.Files.ContainsKey(f)) is { } missing)
                throw new InvalidDataException($"{path} has no entry for {missing}");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})");
        }
    }
}

public sealed record ManifestSettings(
    [property: JsonPropertyName("players")] int Players,
    [property: JsonPropertyName("max_sessions_per_player")] int MaxSessionsPerPlayer,
    [property: JsonPropertyName("game_version")] string GameVersion,
    [property: JsonPropertyName("seed")] string Seed,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end")] string End,
    [property: JsonPropertyName("anomalies"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Anomalies = null);

/// <summary>The defects mixed in (<c>--anomalies</c>): their list's file, its SHA-256 and how many it declares.</summary>
public sealed record ManifestAnomalies(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("defects")] int Defects);

/// <summary>The window as timestamps: events must fall in [start, end_exclusive).</summary>
public sealed record ManifestWindow(
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end_exclusive")] string EndExclusive);

public sealed record ManifestFile(
    [property: JsonPropertyName("rows")] long Rows,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("sha256")] string Sha256);
