using System.Text.Json;
using System.Text.Json.Serialization;
using GameData.Generation;

namespace GameData.Validation;

/// <summary>One reported violation: <c>file:line: rule: detail</c>. Line 0 means the file as a whole.</summary>
public sealed record Violation(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("line")] long Line,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("detail")] string Detail)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Rule}: {Detail}" : $"{File}: {Rule}: {Detail}";
}

/// <summary>What a validation found: rows read per file, the full count per rule, and the first examples of each.</summary>
public sealed class ValidationReport(bool strict)
{
    public const int ExamplesPerRule = 20;

    /// <summary>Names the rules a report was made with: change it when a rule changes, and older reports are not trusted.</summary>
    public const string Validator = "gamedata-validator/2";

    private readonly Dictionary<Rule, long> _counts = [];
    private readonly Dictionary<Rule, List<Violation>> _examples = [];

    public bool Strict { get; } = strict;
    public Dictionary<string, long> RowsRead { get; } = [];
    public List<string> Notices { get; } = [];

    /// <summary>Each file read whole: its rows, bytes and SHA-256, as a manifest would record them.</summary>
    public Dictionary<string, ManifestFile> Files { get; } = [];

    /// <summary>The batch the IDs were checked against (from the manifest, else from the first player ID).</summary>
    public int Batch { get; set; } = 1;

    /// <summary>What the result depends on: the options and the SHA-256 of every file and the manifest (<see cref="TrustedReport"/>).</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>Records a violation; safe to call from the validator's worker threads.</summary>
    public void Add(Rule rule, string file, long line, string detail)
    {
        lock (_counts) AddLocked(rule, file, line, detail);
    }

    private void AddLocked(Rule rule, string file, long line, string detail)
    {
        _counts[rule] = _counts.GetValueOrDefault(rule) + 1;
        if (!_examples.TryGetValue(rule, out var list)) _examples[rule] = list = [];
        if (list.Count < ExamplesPerRule) list.Add(new Violation(file, line, rule.Id, detail));
    }

    public long Count(Rule rule) => _counts.GetValueOrDefault(rule);

    public IReadOnlyList<Violation> Examples(Rule rule) => _examples.GetValueOrDefault(rule) ?? [];

    /// <summary>Rules with at least one violation, in catalogue order.</summary>
    public IEnumerable<Rule> Broken => Rules.All.Where(r => Count(r) > 0);

    public bool Fails(Rule rule) => Count(rule) > 0 && (rule.Severity == Severity.Error || Strict);

    public bool IsValid => !Broken.Any(Fails);

    /// <summary>One line: the failing rules with their counts, and the first example.</summary>
    public string FailureSummary()
    {
        var failing = Broken.Where(Fails).ToList();
        return $"{string.Join(", ", failing.Select(r => $"{r.Id} x{Count(r)}"))}; first: {failing.Select(r => Examples(r).FirstOrDefault()).FirstOrDefault(e => e is not null)}";
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        validator = Validator,
        fingerprint = Fingerprint,
        valid = IsValid,
        strict = Strict,
        rows_read = RowsRead,
        batch = Batch,
        files = Files,
        notices = Notices,
        rules = Rules.All.Select(r => new
        {
            id = r.Id,
            severity = r.Severity.ToString().ToLowerInvariant(),
            fails = Fails(r),
            description = r.Description,
            count = Count(r),
            examples = Examples(r),
        }),
    }, new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>A report as <see cref="ToJson"/> wrote it.</summary>
    public static ValidationReport FromJson(JsonElement root)
    {
        var report = new ValidationReport(root.GetProperty("strict").GetBoolean()) { Fingerprint = root.GetProperty("fingerprint").GetString() ?? "" };
        foreach (var row in root.GetProperty("rows_read").EnumerateObject()) report.RowsRead[row.Name] = row.Value.GetInt64();
        foreach (var notice in root.GetProperty("notices").EnumerateArray()) report.Notices.Add(notice.GetString() ?? "");
        foreach (var rule in root.GetProperty("rules").EnumerateArray())
        {
            var known = Rules.All.FirstOrDefault(r => r.Id == rule.GetProperty("id").GetString());
            var count = rule.GetProperty("count").GetInt64();
            if (known is null || count == 0) continue;
            report._counts[known] = count;
            report._examples[known] = rule.GetProperty("examples").Deserialize<List<Violation>>() ?? [];
        }
        return report;
    }
}
