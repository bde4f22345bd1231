using System.Text.Json;
using GameData.Generation;
using GameData.Settings;

namespace GameData.Anomalies;

/// <summary>
/// How many defects of each kind to mix in: a preset (<c>light</c>, <c>course</c>) or a JSON file of
/// kind → count. <see cref="Text"/> is what the manifest records: the preset's name, or the counts written
/// <c>kind=count,…</c> in catalogue order, so the same counts from another file are the same dataset.
/// </summary>
public sealed record AnomalySpec(string Text, IReadOnlyDictionary<AnomalyKind, int> Counts) : IDatasetDefects
{
    public static readonly IReadOnlyDictionary<string, AnomalySpec> Presets = new Dictionary<string, AnomalySpec>
    {
        // One of each: enough to see every dbt test fail once.
        ["light"] = new("light", AnomalyKind.All.ToDictionary(k => k, _ => 1)),
        // A few of each, so counts in a test's failure mean something; fewer test accounts (each brings its sessions and events).
        ["course"] = new("course", AnomalyKind.All.ToDictionary(k => k, k => k == AnomalyKind.TestAccount ? 2 : 5)),
    };

    /// <summary><c>--anomalies</c> (<c>GAME_ANOMALIES</c>), or null when not given.</summary>
    public static AnomalySpec? From(SettingLayers layers) =>
        layers.Get("GAME_ANOMALIES") is { } value ? Parse(value.Text, value.Describe(), layers.BaseDirectory) : null;

    public GenerationResult Generate(GenerationSettings settings, string outputDirectory, IProgress<GenerationProgress>? progress,
        CancellationToken cancellation) => AnomalyInjector.Generate(settings, this, outputDirectory, progress, cancellation);

    public int CountOf(AnomalyKind kind) => Counts.GetValueOrDefault(kind);

    public int Total => Counts.Values.Sum();

    /// <summary>
    /// A preset name, or the path of a JSON file (relative to <paramref name="baseDirectory"/>). Throws
    /// <see cref="SettingsException"/> with one line naming what is wrong.
    /// </summary>
    public static AnomalySpec Parse(string value, string describe, string baseDirectory)
    {
        if (Presets.TryGetValue(value, out var preset)) return preset;
        var path = Path.GetFullPath(value, baseDirectory);
        if (!File.Exists(path))
        {
            var hint = Spelling.Closest(value, Presets.Keys) is { } near ? $"; did you mean '{near}'?" : "";
            throw new SettingsException($"{describe}: no preset of that name ({string.Join(", ", Presets.Keys)}) and no such file{hint}");
        }
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"{describe}: cannot read {path}: {e.Message}");
        }
        return FromJson(json, path);
    }

    /// <summary>A JSON object of kind → count, e.g. <c>{"duplicate-event": 3, "test-account": 1}</c>.</summary>
    public static AnomalySpec FromJson(string json, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new SettingsException($"{source} is not JSON: {e.Message.Split('.')[0]}"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SettingsException($"{source}: expected a JSON object of kind -> count, like {{\"duplicate-event\": 3}}");
            var counts = new Dictionary<AnomalyKind, int>();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                var kind = AnomalyKind.Find(member.Name) ?? throw new SettingsException(
                    $"{source}: unknown anomaly kind '{member.Name}'" +
                    (Spelling.Closest(member.Name, AnomalyKind.All.Select(k => k.Name)) is { } near ? $" (did you mean '{near}'?)"
                        : $" (kinds: {string.Join(", ", AnomalyKind.All.Select(k => k.Name))})"));
                // JSON allows a key twice and the last one would win: a mistake here, not a choice.
                if (counts.ContainsKey(kind)) throw new SettingsException($"{source}: '{member.Name}' is given twice; give each kind once");
                if (member.Value.ValueKind != JsonValueKind.Number || !member.Value.TryGetInt32(out var count) || count < 0)
                    throw new SettingsException(
                        $"{source}: '{member.Name}' must be a whole number of 0 or more, not {member.Value.GetRawText()}");
                counts[kind] = count;
            }
            if (counts.Values.Sum(c => (long)c) == 0)
                throw new SettingsException($"{source} asks for no defects; leave --anomalies out for the clean dataset");
            var text = string.Join(",", AnomalyKind.All.Where(k => counts.GetValueOrDefault(k) > 0).Select(k => $"{k.Name}={counts[k]}"));
            return new AnomalySpec(text, counts);
        }
    }

    /// <summary>
    /// Refuses more defects in a file than it has rows to carry them (each defect needs a row of its own).
    /// </summary>
    public void CheckFits(IReadOnlyDictionary<string, ManifestFile> files)
    {
        foreach (var file in DatasetFiles.All)
        {
            var wanted = Counts.Where(c => c.Key.File == file).Sum(c => (long)c.Value);
            var rows = files[file].Rows;
            if (wanted > rows)
                throw new SettingsException($"--anomalies '{Text}' asks for {wanted:N0} defects in {file}, which has {rows:N0} rows; " +
                    "ask for fewer, or generate more players");
        }
    }
}
