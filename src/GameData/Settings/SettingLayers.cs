namespace GameData.Settings;

/// <summary>
/// Raw setting values from every source, resolved once: defaults &lt; <c>.env</c> &lt; environment &lt; flags.
/// Values are keyed by their environment-variable name (flags are mapped onto those names by the CLI),
/// and each remembers where it came from so that an error can say so.
/// </summary>
public sealed class SettingLayers
{
    private readonly Dictionary<string, SettingValue> _values = new(StringComparer.Ordinal);

    /// <summary>Adds a source; its non-empty values override the ones added before it.</summary>
    public SettingLayers Add(string source, IEnumerable<KeyValuePair<string, string?>> values)
    {
        foreach (var (key, value) in values)
            if (!string.IsNullOrEmpty(value)) _values[key] = new SettingValue(key, value, source);
        return this;
    }

    public SettingValue? Get(string key) => _values.GetValueOrDefault(key);

    /// <summary>The usual stack for a command: a <c>.env</c> file (if present), the process environment, then flags.</summary>
    public static SettingLayers Standard(string dotEnvPath, IEnumerable<KeyValuePair<string, string?>> flags)
    {
        var layers = new SettingLayers();
        if (File.Exists(dotEnvPath)) layers.Add(Path.GetFileName(dotEnvPath), DotEnvFile.Read(dotEnvPath));
        var environment = Environment.GetEnvironmentVariables();
        layers.Add("environment", environment.Keys.Cast<string>()
            .Select(key => new KeyValuePair<string, string?>(key, environment[key] as string)));
        return layers.Add("flags", flags);
    }
}

/// <summary>One raw value and its origin, e.g. <c>N_PLAYERS=abc</c> from <c>.env</c>.</summary>
public sealed record SettingValue(string Key, string Text, string Source)
{
    public string Describe(string flag) => Source == "flags" ? $"{flag} '{Text}'" : $"{Key}='{Text}' (from {Source})";
}
