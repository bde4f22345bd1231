using System.Text.Json;
using System.Text.Json.Serialization;

namespace GameData.Settings;

/// <summary>One argument of the chain, as <c>arguments.json</c> lists it.</summary>
public sealed record ChainArgument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("verbs")] string[] Verbs,
    [property: JsonPropertyName("help")] string Help,
    [property: JsonPropertyName("env")] string? Env = null,
    [property: JsonPropertyName("default")] string? Default = null,
    [property: JsonPropertyName("secret")] bool Secret = false,
    [property: JsonPropertyName("path")] bool Path = false,
    [property: JsonPropertyName("switch")] bool Switch = false,
    [property: JsonPropertyName("many")] string[]? ManyIn = null,
    [property: JsonPropertyName("chain")] bool Chain = true,
    [property: JsonPropertyName("presets")] string[]? Presets = null)
{
    public string Flag => "--" + Name;

    /// <summary>Whether <paramref name="verb"/> takes several values (repeated, or comma-separated).</summary>
    public bool IsMany(string verb) => ManyIn?.Contains(verb) == true;

    /// <summary>The help text with where else the value can come from: <c>[env N_PLAYERS, default 2000]</c>.</summary>
    public string Description =>
        Env is null && Default is null ? Help
            : $"{Help} [{string.Join(", ",
                new[] { Env is null ? null : $"env {Env}", Default is null ? null : $"default {Default}" }.OfType<string>())}]";
}

/// <summary>
/// The chain's arguments, from <c>Settings/arguments.json</c>: the CLI builds its options from it and routes the Cake
/// script's by it (<see cref="BuildArguments"/>), so an argument is passed on without being named twice, secrets go
/// through the child's environment, and an unknown argument can be refused.
/// </summary>
public static class ChainArguments
{
    private static readonly ChainArgumentList List = Load();

    public static readonly IReadOnlyList<ChainArgument> All = List.Arguments;

    public static IEnumerable<ChainArgument> For(string verb) => All.Where(a => a.Verbs.Contains(verb));

    /// <summary>The flag that sets an environment setting, e.g. <c>--players</c> for N_PLAYERS; null when there is none.</summary>
    public static string? FlagFor(string env) => All.FirstOrDefault(a => a.Env == env)?.Flag;

    /// <summary>
    /// A switch's value (<c>--dry-run=yes</c>): one of the list's boolean words in any case, in the CLI and the build
    /// alike; anything else is refused rather than taken for "no".
    /// </summary>
    public static bool Boolean(string flag, string text)
    {
        if (List.Booleans.True.Contains(text, StringComparer.OrdinalIgnoreCase)) return true;
        if (List.Booleans.False.Contains(text, StringComparer.OrdinalIgnoreCase)) return false;
        var words = string.Join(", ", List.Booleans.True.Zip(List.Booleans.False, (yes, no) => $"{yes}/{no}"));
        throw new SettingsException($"{flag} '{text}' is not one of {words}");
    }

    /// <summary>A value given but empty (<c>--out ""</c>, <c>N_PLAYERS=</c>): an error, never read as the default or "here".</summary>
    public static SettingsException Empty(string given) => new($"{given} is empty; give a value, or leave it out for the default");

    private static ChainArgumentList Load()
    {
        using var stream = typeof(ChainArguments).Assembly.GetManifestResourceStream("GameData.Settings.arguments.json")!;
        return JsonSerializer.Deserialize(stream, SettingsJson.Default.ChainArgumentList)!;
    }
}
