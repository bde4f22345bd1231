using System.Text.Json.Serialization;

namespace GameData.Settings;

/// <summary>
/// The JSON the chain reads on every run (its argument list, the load ledger's digests, the build's arguments), serialised
/// by generated code rather than reflection: a command starts without emitting and compiling accessors first.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ChainArgumentList))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(BuildRequest))]
[JsonSerializable(typeof(BuildRoutes))]
internal sealed partial class SettingsJson : JsonSerializerContext;

/// <summary>The shape of <c>arguments.json</c>.</summary>
internal sealed record ChainArgumentList(
    [property: JsonPropertyName("booleans")] BooleanWords Booleans,
    [property: JsonPropertyName("arguments")] List<ChainArgument> Arguments);

/// <summary>The words a switch's value may be, each true word paired with its false one.</summary>
internal sealed record BooleanWords(
    [property: JsonPropertyName("true")] string[] True,
    [property: JsonPropertyName("false")] string[] False);
