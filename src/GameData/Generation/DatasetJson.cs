using System.Text.Json.Serialization;

namespace GameData.Generation;

/// <summary>manifest.json and anomalies.json, serialised by generated code rather than reflection.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(DatasetManifest))]
[JsonSerializable(typeof(AnomalyList))]
internal sealed partial class DatasetJson : JsonSerializerContext;
