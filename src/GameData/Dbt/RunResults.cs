using System.Text.Json;

namespace GameData.Dbt;

/// <summary>One node dbt ran: its kind (model, test, seed, snapshot), name, status and message.</summary>
public sealed record NodeResult(string Kind, string Name, string Status, string? Message)
{
    public bool Passed => Status is "success" or "pass";
    public bool Failed => Status is "error" or "fail" or "runtime error";
}

/// <summary>What dbt wrote to <c>target/run_results.json</c>, summed up for the chain's last lines.</summary>
public sealed record RunResults(IReadOnlyList<NodeResult> Nodes)
{
    /// <summary>The results, or null when the file is missing, unreadable, or older than this run.</summary>
    public static RunResults? Read(string path, DateTime notBeforeUtc)
    {
        if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) < notBeforeUtc) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var nodes = document.RootElement.GetProperty("results").EnumerateArray().Select(result =>
            {
                var id = result.GetProperty("unique_id").GetString() ?? "";
                // model.<project>.<name>, test.<project>.<name>.<hash>: the third part names it.
                var parts = id.Split('.');
                var message = result.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return new NodeResult(parts[0], parts.Length >= 3 ? parts[2] : parts[^1], result.GetProperty("status").GetString() ?? "", message);
            }).ToList();
            return new RunResults(nodes);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>One line of counts, then one line per failure.</summary>
    public IEnumerable<string> Summary()
    {
        int Count(Func<NodeResult, bool> which) => Nodes.Count(which);
        yield return $"dbt: {Count(n => n.Kind == "model")} models, {Count(n => n.Kind == "test")} tests; " +
                     $"{Count(n => n.Passed)} passed, {Count(n => n.Failed)} failed, {Count(n => n.Status == "warn")} warned, {Count(n => n.Status == "skipped")} skipped";
        foreach (var failure in Nodes.Where(n => n.Failed))
            yield return $"  failed: {failure.Kind} {failure.Name}{(failure.Message is null ? "" : $": {failure.Message.Split('\n')[0]}")}";
    }
}
