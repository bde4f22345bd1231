using System.Text.Json;
using GameData.Settings;
using Json.Schema;

namespace GameData.Tests.Ci;

/// <summary>The published JSON Schema of <c>--result-json</c> (<c>schemas/result.schema.json</c>), as a validator reads it.</summary>
public static class ResultSchema
{
    public static readonly string File = Path.Combine(RepositoryFolders.Root(TestContext.CurrentContext.TestDirectory), "schemas", "result.schema.json");

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(System.IO.File.ReadAllText(File)));

    /// <summary>The schema's complaints about a result file; empty when it conforms.</summary>
    public static List<string> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).DefaultIfEmpty("invalid").ToList();
    }
}
