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
    public override string ToString() => PrintableText.Of(Line > 0 ? $"{File}:{Line}: {Rule}: {Detail}" : $"{File}: {Rule}: {Detail}");
}

/// <summary>What a validation found: rows read per file, the full count per rule, and the first examples of each.</summary>
public sealed class ValidationReport(bool strict)
{
    public const int ExamplesPerRule = 20;

    /// <summary>Names the rules a report was made with: change it when a rule changes, and older reports are not trusted.</summary>
    public const string Validator = "gamedata-validator/3";

    private readonly Dictionary<Rule, long> _counts = [];
    private readonly Dictionary<Rule, long> _expected = [];
    /// <summary>Declared defects (anomalies.json) by where their violation should be; true once found.</summary>
    private readonly Dictionary<(string File, long Line, string Rule), (DeclaredDefect Defect, bool Found)> _declared = [];
    private readonly Dictionary<Rule, List<Violation>> _examples = [];

    public bool Strict { get; } = strict;
    public Dictionary<string, long> RowsRead { get; } = [];
    public List<string> Notices { get; } = [];

    /// <summary>Each file read whole: its rows, bytes and SHA-256, as a manifest would record them.</summary>
    public Dictionary<string, ManifestFile> Files { get; } = [];

    /// <summary>The batch the IDs were checked against (from the manifest, else from the first player ID).</summary>
    public int Batch { get; set; } = 1;

    /// <summary>
    /// What the result depends on: the options and the SHA-256 of every file and the manifest (<see cref="TrustedReport"/>).
    /// </summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>Records a violation; safe to call from the validator's worker threads.</summary>
    public void Add(Rule rule, string file, long line, string detail)
    {
        lock (_counts) AddLocked(rule, file, line, detail);
    }

    private void AddLocked(Rule rule, string file, long line, string detail)
    {
        if (_declared.TryGetValue((file, line, rule.Id), out var declared) && !declared.Found)
        {
            _declared[(file, line, rule.Id)] = (declared.Defect, true);
            _expected[rule] = _expected.GetValueOrDefault(rule) + 1;
            return;
        }
        _counts[rule] = _counts.GetValueOrDefault(rule) + 1;
        if (!_examples.TryGetValue(rule, out var list)) _examples[rule] = list = [];
        if (list.Count < ExamplesPerRule) list.Add(new Violation(file, line, rule.Id, detail));
    }

    /// <summary>Takes the defects a dataset declares: a violation they predict is counted as expected, not as a problem.</summary>
    public void Expect(AnomalyList list)
    {
        lock (_counts)
            foreach (var (defect, file, line) in list.Rows()) _declared[(file, line, defect.Rule)] = (defect, false);
    }

    /// <summary>After the files are read: a declared defect no rule found means the files are not what the list says.</summary>
    public void CompleteExpectations()
    {
        lock (_counts)
            foreach (var ((file, line, rule), (defect, found)) in _declared.Where(d => !d.Value.Found)
                .OrderBy(d => d.Key.File).ThenBy(d => d.Key.Line).ToList())
                AddLocked(Rules.DeclaredDefectMissing, file, line,
                    $"{defect.Kind} (key {defect.Key}) is declared here, but {rule} found nothing");
    }

    public bool DeclaresDefects => _declared.Count > 0 || _expected.Count > 0;

    /// <summary>Violations that are not declared defects: the ones that count.</summary>
    public long Count(Rule rule) => _counts.GetValueOrDefault(rule);

    /// <summary>Violations that anomalies.json declared, found where it said.</summary>
    public long Expected(Rule rule) => _expected.GetValueOrDefault(rule);

    public IReadOnlyList<Violation> Examples(Rule rule) => _examples.GetValueOrDefault(rule) ?? [];

    /// <summary>Rules with at least one violation, in catalogue order.</summary>
    public IEnumerable<Rule> Broken => Rules.All.Where(r => Count(r) > 0);

    public bool Fails(Rule rule) => Count(rule) > 0 && (rule.Severity == Severity.Error || Strict);

    public bool IsValid => !Broken.Any(Fails);

    /// <summary>One line: the failing rules with their counts, and the first example.</summary>
    public string FailureSummary()
    {
        var failing = Broken.Where(Fails).ToList();
        return $"{string.Join(", ", failing.Select(r => $"{r.Id} x{Count(r)}"))}; " +
            $"first: {failing.Select(r => Examples(r).FirstOrDefault()).FirstOrDefault(e => e is not null)}";
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
            expected = Expected(r),
            examples = Examples(r),
        }),
    }, new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>A report as <see cref="ToJson"/> wrote it.</summary>
    public static ValidationReport FromJson(JsonElement root)
    {
        var report = new ValidationReport(root.GetProperty("strict").GetBoolean())
            { Fingerprint = root.GetProperty("fingerprint").GetString() ?? "" };
        foreach (var row in root.GetProperty("rows_read").EnumerateObject()) report.RowsRead[row.Name] = row.Value.GetInt64();
        foreach (var notice in root.GetProperty("notices").EnumerateArray()) report.Notices.Add(notice.GetString() ?? "");
        foreach (var rule in root.GetProperty("rules").EnumerateArray())
        {
            var known = Rules.All.FirstOrDefault(r => r.Id == rule.GetProperty("id").GetString());
            var count = rule.GetProperty("count").GetInt64();
            var expected = rule.TryGetProperty("expected", out var e) ? e.GetInt64() : 0;
            if (known is null || count + expected == 0) continue;
            if (expected > 0) report._expected[known] = expected;
            if (count == 0) continue;
            report._counts[known] = count;
            report._examples[known] = rule.GetProperty("examples").Deserialize<List<Violation>>() ?? [];
        }
        return report;
    }
}
