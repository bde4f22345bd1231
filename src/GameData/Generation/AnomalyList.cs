using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
namespace GameData.Generation;

/// <summary>
/// <c>anomalies.json</c>: every defect mixed into a dataset, where it is and which validator rule finds it, so an
/// instructor can grade against it and ValidateCsv can tell expected violations from unexpected ones. Written by
/// the Anomalies stage; here, beside manifest.json, so that Validation can read it without knowing that stage.
/// Deterministic: no timestamps, so the same settings write the same bytes.
/// </summary>
public sealed record AnomalyList(
    [property: JsonPropertyName("generator")] string Generator,
    [property: JsonPropertyName("spec")] string Spec,
    [property: JsonPropertyName("seed")] string Seed,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("counts")] IReadOnlyDictionary<string, int> Counts,
    [property: JsonPropertyName("defects")] IReadOnlyList<DeclaredDefect> Defects)
{
    public const string FileName = "anomalies.json";

    /// <summary>Indented, with values as written in the files (<c>Hard+</c>, <c>España</c>), not \u-escaped.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, typeof(AnomalyList), new JsonSerializerOptions
    {
        WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, TypeInfoResolver = DatasetJson.Default,
    }) + "\n";

    /// <summary>Reads the list; throws <see cref="InvalidDataException"/> with a one-line reason if it is not one.</summary>
    public static AnomalyList Read(string path)
    {
        try
        {
            var list = JsonSerializer.Deserialize(File.ReadAllText(path), DatasetJson.Default.AnomalyList);
            if (list?.Defects is null || list.Counts is null)
                throw new InvalidDataException($"{path}: not an anomaly list (counts or defects missing)");
            return list;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})");
        }
    }

    /// <summary>Every row a defect put a violation on: the defect's own row and, for a test account, its sessions and events.</summary>
    public IEnumerable<(DeclaredDefect Defect, string File, long Line)> Rows() =>
        Defects.SelectMany(d => new[] { (d, d.File, d.Line) }.Concat((d.Also ?? []).Select(a => (d, a.File, a.Line))));
}

/// <param name="Change">changed: the row itself was altered; added: the row was added (after the one it copies, or at the end).</param>
/// <param name="Value">The value written into <paramref name="Column"/>.</param>
/// <param name="Also">For a test account: the rows of its sessions and events.</param>
public sealed record DeclaredDefect(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("line")] long Line,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("change")] string Change,
    [property: JsonPropertyName("column")] string Column,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("also"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<DeclaredRow>? Also = null);

public sealed record DeclaredRow(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("line")] long Line,
    [property: JsonPropertyName("key")] string Key);
