using System.Text.Json.Serialization;
using GameData.Generation;

namespace GameData.Settings;

/// <summary>
/// The JSON the chain reads on every run (its argument list, dataset manifests), serialised by generated code
/// rather than reflection: a command starts without emitting and compiling accessors first.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ChainArgumentList))]
[JsonSerializable(typeof(DatasetManifest))]
[JsonSerializable(typeof(GameData.Anomalies.AnomalyList))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SettingsJson : JsonSerializerContext;

/// <summary>The shape of <c>arguments.json</c>.</summary>
internal sealed record ChainArgumentList([property: JsonPropertyName("arguments")] List<ChainArgument> Arguments);
