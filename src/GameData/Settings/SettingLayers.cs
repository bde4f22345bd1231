namespace GameData.Settings;

/// <summary>
/// Raw setting values from every source, resolved once: defaults &lt; <c>.env</c> &lt; environment &lt; flags.
/// Values are keyed by their environment-variable name (flags are mapped onto those names by the CLI),
/// and each remembers where it came from so that an error can say so.
/// </summary>
public sealed class SettingLayers
{
    private readonly Dictionary<string, SettingValue> _values = new(StringComparer.Ordinal);

    /// <param name="baseDirectory">Where relative paths start (the caller's folder); the current one when not given.</param>
    public SettingLayers(string? baseDirectory = null) => BaseDirectory = baseDirectory ?? Directory.GetCurrentDirectory();

    /// <summary>
    /// The folder relative paths in these settings are resolved against: the caller's, carried here rather than
    /// read from the process, so that runs in one process (the tests') each have their own.
    /// </summary>
    public string BaseDirectory { get; }

    /// <summary><paramref name="path"/> as a full path, relative ones taken from <see cref="BaseDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, BaseDirectory);

    /// <summary>Adds a source; its values override the ones added before it. An empty value is kept: see <see cref="Get"/>.</summary>
    public SettingLayers Add(string source, IEnumerable<KeyValuePair<string, string?>> values)
    {
        foreach (var (key, value) in values)
            if (value is not null) _values[key] = new SettingValue(key, value, source);
        return this;
    }

    /// <summary>
    /// The value, or null when no source sets it. A value that is set but empty (<c>--schema ""</c>, a variable
    /// exported empty because a CI secret is missing) is an error, not "use the default": it is almost always a
    /// mistake, and the default (the shared <c>raw</c> schema, say) is the wrong place for it to land.
    /// </summary>
    public SettingValue? Get(string key)
    {
        if (!_values.TryGetValue(key, out var value)) return null;
        if (string.IsNullOrWhiteSpace(value.Text))
            throw ChainArguments.Empty(value.Describe());
        return value;
    }

    /// <summary>For switches such as <c>CI</c>, where empty simply means "not set".</summary>
    public string? Switch(string key) => _values.TryGetValue(key, out var value) && value.Text.Length > 0 ? value.Text : null;

    /// <summary>The usual stack for a command: a <c>.env</c> file (if present), the environment it was given, then flags.</summary>
    public static SettingLayers Standard(string dotEnvPath, IReadOnlyDictionary<string, string?> environment,
        IEnumerable<KeyValuePair<string, string?>> flags, string baseDirectory)
    {
        var layers = new SettingLayers(baseDirectory);
        if (File.Exists(dotEnvPath)) layers.Add(Path.GetFileName(dotEnvPath), DotEnvFile.Read(dotEnvPath));
        layers.Add("environment", environment);
        return layers.Add("flags", flags);
    }
}

/// <summary>One raw value and its origin, e.g. <c>N_PLAYERS=abc</c> from <c>.env</c>.</summary>
public sealed record SettingValue(string Key, string Text, string Source)
{
    private static readonly string[] SecretWords = ["PASSWORD", "TOKEN", "PASSPHRASE", "SECRET"];

    /// <summary>How the user gave it: <c>--players 'abc'</c> or <c>N_PLAYERS='abc' (from environment)</c>.</summary>
    public string Describe() => Describe(ChainArguments.FlagFor(Key) ?? Key);

    public string Describe(string flag) => Source == "flags" ? $"{flag} '{Shown}'" : $"{Key}='{Shown}' (from {Source})";

    /// <summary>Never a secret; never more than a line.</summary>
    private string Shown =>
        Text.Length == 0 ? ""
        : IsSecret ? "***"
        : Text.Length <= 40 ? Text : $"{Text[..40]}… ({Text.Length:N0} characters)";

    private bool IsSecret =>
        ChainArguments.All.Any(a => a.Secret && a.Env == Key) || SecretWords.Any(w => Key.Contains(w, StringComparison.OrdinalIgnoreCase));
}
