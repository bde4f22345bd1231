using System.Text.Json;

namespace GameData.Dbt;

/// <summary>One node dbt ran: its kind (model, test, seed, snapshot, hook), name, status and message.</summary>
public sealed record NodeResult(string Kind, string Name, string Status, string? Message)
{
    public bool Passed => Status is "success" or "pass";

    /// <summary>dbt itself counts a microbatch model's <c>partial success</c> as an error.</summary>
    public bool Failed => Status is "error" or "fail" or "runtime error" or "partial success";

    public bool Warned => Status is "warn";

    /// <summary>A <c>no-op</c> (dbt 1.9+) ran nothing and failed nothing: like a skip, not a pass.</summary>
    public bool Skipped => Status is "skipped" or "no-op";

    /// <summary>
    /// The node as dbt writes its <c>unique_id</c>: <c>model.&lt;project&gt;.&lt;name&gt;</c>,
    /// <c>test.&lt;project&gt;.&lt;name&gt;.&lt;hash&gt;</c>, <c>unit_test.&lt;project&gt;.&lt;model&gt;.&lt;name&gt;</c>,
    /// <c>operation.&lt;project&gt;.&lt;project&gt;-on-run-end-0</c>.
    /// </summary>
    public static NodeResult From(string uniqueId, string status, string? message)
    {
        var parts = uniqueId.Split('.');
        var name = parts.Length >= 3 ? parts[2] : parts[^1];
        return parts[0] switch
        {
            "unit_test" when parts.Length >= 4 => new NodeResult("test", $"{parts[3]} (unit test of {parts[2]})", status, message),
            "operation" => new NodeResult("hook", name, status, message),
            var kind => new NodeResult(kind, name, status, message),
        };
    }
}

/// <summary>What dbt wrote to <c>run_results.json</c>, summed up for the chain's last lines.</summary>
public sealed record RunResults(IReadOnlyList<NodeResult> Nodes)
{
    private static readonly string[] Kinds = ["model", "test", "seed", "snapshot", "hook"];

    /// <summary>The results, or null when the file is missing, unreadable, or older than this run.</summary>
    public static RunResults? Read(string path, DateTime notBeforeUtc)
    {
        if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) < notBeforeUtc) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var nodes = document.RootElement.GetProperty("results").EnumerateArray().Select(result =>
            {
                var message = result.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return NodeResult.From(result.GetProperty("unique_id").GetString() ?? "", result.GetProperty("status").GetString() ?? "",
                    message);
            }).ToList();
            return new RunResults(nodes);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>One line of counts (every node in one kind and one status), then one line per failure.</summary>
    public IEnumerable<string> Summary()
    {
        var kinds = Kinds.Concat(Nodes.Select(n => n.Kind)).Distinct()
            .Select(kind => (kind, count: Nodes.Count(n => n.Kind == kind)))
            .Where(k => k.count > 0 || k.kind is "model" or "test")
            .Select(k => Counted(k.count, k.kind));
        var others = Nodes.Where(n => !(n.Passed || n.Failed || n.Warned || n.Skipped)).GroupBy(n => n.Status)
            .Select(g => $", {g.Count()} {g.Key}");
        yield return $"dbt: {string.Join(", ", kinds)}; {Nodes.Count(n => n.Passed)} passed, {Nodes.Count(n => n.Failed)} failed, " +
                     $"{Nodes.Count(n => n.Warned)} warned, {Nodes.Count(n => n.Skipped)} skipped{string.Concat(others)}";
        foreach (var failure in Nodes.Where(n => n.Failed))
            yield return $"  failed: {failure.Kind} {failure.Name}{(failure.Message is null ? "" : $": {failure.Message.Split('\n')[0]}")}";
    }

    private static string Counted(int count, string kind) => $"{count} {kind}{(count == 1 ? "" : "s")}";
}
