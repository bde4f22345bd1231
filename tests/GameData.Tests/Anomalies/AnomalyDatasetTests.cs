using System.Collections.Concurrent;
using GameData.Anomalies;
using GameData.Generation;
using GameData.Validation;

namespace GameData.Tests.Anomalies;

/// <summary>Generate with --anomalies: deterministic, declared defects that ValidateCsv finds where declared.</summary>
[Parallelizable(ParallelScope.All)]
public class AnomalyDatasetTests
{
    internal static readonly GenerationSettings Settings = GenerationSettings.Defaults with { Players = 300 };
    private static readonly ConcurrentDictionary<string, Lazy<string>> Datasets = new();

    /// <summary>A dataset of <see cref="Settings"/> with a preset (or none), generated once per run and shared read-only.</summary>
    internal static string Dataset(string? preset) => Datasets.GetOrAdd(preset ?? "clean", _ => new Lazy<string>(() =>
    {
        var folder = Path.Combine(TestRunFolders.Of("anomalies"), preset ?? "clean");
        DatasetGenerator.Generate(Settings with { Anomalies = preset is null ? null : AnomalySpec.Presets[preset] }, folder);
        return folder;
    })).Value;

    private static AnomalyList ListOf(string folder) => AnomalyList.Read(Path.Combine(folder, AnomalyList.FileName));

    [Test]
    public void Same_settings_and_preset_give_the_same_bytes()
    {
        using var again = new TempFolder();
        DatasetGenerator.Generate(Settings with { Anomalies = AnomalySpec.Presets["course"] }, again.Path);
        foreach (var file in DatasetFiles.All.Append(AnomalyList.FileName))
            Assert.That(Generation.ReferenceParityTests.Sha256Of(again.File(file)),
                Is.EqualTo(Generation.ReferenceParityTests.Sha256Of(Path.Combine(Dataset("course"), file))), file);
        var manifest = DatasetManifest.Read(again.File(DatasetManifest.FileName));
        Assert.That(manifest.Settings.Anomalies, Is.EqualTo("course"));
        Assert.That(manifest.Anomalies!.Sha256, Is.EqualTo(Generation.ReferenceParityTests.Sha256Of(again.File(AnomalyList.FileName))));
    }

    /// <summary>Pinned: a change to how defects are injected must not change a dataset a course already handed out.</summary>
    [TestCase("course", "77b8c95776bab3cf", "97967b30d190f670", "9042ada7f9d1968f", "db86bb22877f09c4")]
    public void A_preset_writes_the_bytes_it_always_wrote(string preset, string players, string sessions, string events, string list)
    {
        var folder = Dataset(preset);
        var sha256 = DatasetFiles.All.Append(AnomalyList.FileName)
            .Select(f => Generation.ReferenceParityTests.Sha256Of(Path.Combine(folder, f))[..16]);
        Assert.That(sha256, Is.EqualTo(new[] { players, sessions, events, list }));
    }

    [Test]
    public void Another_seed_puts_the_defects_elsewhere()
    {
        using var other = new TempFolder();
        DatasetGenerator.Generate(Settings with { Seed = 7, Anomalies = AnomalySpec.Presets["course"] }, other.Path);
        var lines = ListOf(other.Path).Defects.Select(d => (d.File, d.Line)).ToHashSet();
        Assert.That(ListOf(Dataset("course")).Defects.Select(d => (d.File, d.Line)).ToHashSet(), Is.Not.EqualTo(lines));
    }

    [TestCase("light")]
    [TestCase("course")]
    public void Counts_per_kind_equal_the_preset(string preset)
    {
        var list = ListOf(Dataset(preset));
        var spec = AnomalySpec.Presets[preset];
        foreach (var kind in AnomalyKind.All)
        {
            Assert.That(list.Counts[kind.Name], Is.EqualTo(spec.CountOf(kind)), kind.Name);
            Assert.That(list.Defects.Count(d => d.Kind == kind.Name), Is.EqualTo(spec.CountOf(kind)), kind.Name);
            Assert.That(list.Defects.Where(d => d.Kind == kind.Name).Select(d => (d.File, d.Rule)).Distinct(), Is.EqualTo(new[] { (kind.File, kind.Rule.Id) }), kind.Name);
        }
        Assert.That(list.Defects.Where(d => d.Kind == "test-account").All(d => d.Also is { Count: > 0 }), "each test account has sessions and events");
    }

    [Test]
    public void Rows_that_are_not_defects_are_the_reference_rows()
    {
        var list = ListOf(Dataset("course"));
        foreach (var file in DatasetFiles.All)
        {
            var clean = File.ReadAllLines(Path.Combine(Dataset(null), file));
            var dirty = File.ReadAllLines(Path.Combine(Dataset("course"), file));
            var added = list.Rows().Where(r => r.File == file && (r.Defect.Change == "added" || r.Defect.Kind == "test-account")).Select(r => r.Line).ToHashSet();
            var changed = list.Defects.Where(d => d.File == file && d.Change == "changed").Select(d => d.Line).ToHashSet();
            Assert.That(dirty.Length, Is.EqualTo(clean.Length + added.Count), file);
            var kept = Enumerable.Range(1, dirty.Length).Where(line => !added.Contains(line)).ToList();
            for (var i = 0; i < kept.Count; i++)
            {
                if (changed.Contains(kept[i])) Assert.That(dirty[kept[i] - 1], Is.Not.EqualTo(clean[i]), $"{file}:{kept[i]} is declared changed");
                else Assert.That(dirty[kept[i] - 1], Is.EqualTo(clean[i]), $"{file}:{kept[i]} is not a defect");
            }
        }
    }

    [TestCase("light")]
    [TestCase("course")]
    public void Every_declared_defect_is_found_where_declared_and_nothing_else(string preset)
    {
        var report = DatasetValidator.Validate(new ValidationOptions(Dataset(preset)));
        Assert.That(report.Broken.Select(r => $"{r.Id} x{report.Count(r)}: {report.Examples(r).FirstOrDefault()}"), Is.Empty);
        Assert.That(report.IsValid, Is.True);
        var list = ListOf(Dataset(preset));
        foreach (var rule in Rules.All)
            Assert.That(report.Expected(rule), Is.EqualTo(list.Rows().Count(r => r.Defect.Rule == rule.Id)), rule.Id);
        Assert.That(Rules.All.Sum(report.Expected), Is.GreaterThan(AnomalyKind.All.Count));
    }

    [Test]
    public void A_defect_removed_from_the_files_fails_validation_naming_it()
    {
        using var copy = Loading.TestDatasets.CopyOf(Dataset("course"));
        var defect = ListOf(copy.Path).Defects.First(d => d.Kind == "unknown-difficulty");
        var lines = File.ReadAllLines(copy.File(defect.File));
        lines[defect.Line - 1] = lines[defect.Line - 1].Replace(defect.Value, "normal");
        File.WriteAllText(copy.File(defect.File), string.Join("\n", lines) + "\n");

        var report = DatasetValidator.Validate(new ValidationOptions(copy.Path));
        Assert.That(report.IsValid, Is.False);
        var missing = report.Examples(Rules.DeclaredDefectMissing).Single();
        Assert.That((missing.File, missing.Line), Is.EqualTo((defect.File, defect.Line)));
        Assert.That(missing.Detail, Does.Contain("unknown-difficulty"));
    }

    [Test]
    public void A_defect_added_by_hand_is_unexpected_and_named()
    {
        using var copy = Loading.TestDatasets.CopyOf(Dataset("course"));
        var declared = ListOf(copy.Path).Rows().Where(r => r.File == DatasetFiles.Players).Select(r => r.Line).ToHashSet();
        var lines = File.ReadAllLines(copy.File(DatasetFiles.Players));
        var line = Enumerable.Range(2, lines.Length - 1).First(l => !declared.Contains(l));
        var fields = lines[line - 1].Split(',');
        fields[2] = "";
        lines[line - 1] = string.Join(",", fields);
        File.WriteAllText(copy.File(DatasetFiles.Players), string.Join("\n", lines) + "\n");

        var report = DatasetValidator.Validate(new ValidationOptions(copy.Path));
        Assert.That(report.IsValid, Is.False);
        Assert.That(report.Examples(Rules.MissingValue).Single(), Is.EqualTo(new Violation(DatasetFiles.Players, line, "missing-value", "country is empty")));
        Assert.That(report.Expected(Rules.MissingValue), Is.EqualTo(ListOf(copy.Path).Rows().Count(r => r.Defect.Rule == "missing-value")));
    }

    [Test]
    public void An_edited_anomaly_list_is_not_trusted()
    {
        using var copy = Loading.TestDatasets.CopyOf(Dataset("light"));
        var path = copy.File(AnomalyList.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"line\": ", "\"line\": 1"));
        var report = DatasetValidator.Validate(new ValidationOptions(copy.Path));
        Assert.That(report.Count(Rules.ManifestSha256), Is.EqualTo(1));
        Assert.That(report.Examples(Rules.ManifestSha256)[0].File, Is.EqualTo(AnomalyList.FileName));
        Assert.That(report.Count(Rules.DuplicateKey), Is.GreaterThan(0), "without a trusted list every defect is unexpected");
    }

    [Test]
    public void A_spec_file_of_counts_is_recorded_in_catalogue_order()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("spec.json"), """{"test-account": 1, "duplicate-event": 3, "orphan-session": 0}""");
        var spec = AnomalySpec.Parse("spec.json", "--anomalies", folder.Path);
        Assert.That(spec.Text, Is.EqualTo("duplicate-event=3,test-account=1"));
        DatasetGenerator.Generate(Settings with { Players = 50, Anomalies = spec }, folder.File("data"));
        var list = ListOf(folder.File("data"));
        Assert.That(list.Counts, Is.EqualTo(new Dictionary<string, int> { ["duplicate-event"] = 3, ["test-account"] = 1 }));
        Assert.That(DatasetValidator.Validate(new ValidationOptions(folder.File("data"))).IsValid, Is.True);
    }

    [Test]
    public void A_clean_generate_into_the_same_folder_removes_the_anomaly_list()
    {
        using var copy = Loading.TestDatasets.CopyOf(Dataset("light"));
        DatasetGenerator.Generate(Settings, copy.Path);
        Assert.That(File.Exists(copy.File(AnomalyList.FileName)), Is.False);
        Assert.That(DatasetManifest.Read(copy.File(DatasetManifest.FileName)).Anomalies, Is.Null);
        Assert.That(Generation.ReferenceParityTests.Sha256Of(copy.File(DatasetFiles.Events)),
            Is.EqualTo(Generation.ReferenceParityTests.Sha256Of(Path.Combine(Dataset(null), DatasetFiles.Events))));
    }

    [Test]
    public void Up_to_date_only_for_the_same_preset()
    {
        var withPreset = Settings with { Anomalies = AnomalySpec.Presets["course"] };
        Assert.That(DatasetGenerator.WhyNotUpToDate(withPreset, Dataset("course")), Is.Null);
        Assert.That(DatasetGenerator.WhyNotUpToDate(Settings with { Anomalies = AnomalySpec.Presets["light"] }, Dataset("course")), Is.EqualTo("the settings differ"));
        Assert.That(DatasetGenerator.WhyNotUpToDate(Settings, Dataset("course")), Is.EqualTo("the settings differ"));
    }
}
