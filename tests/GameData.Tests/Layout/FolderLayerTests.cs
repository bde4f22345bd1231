using System.Text.RegularExpressions;
using GameData.Settings;

namespace GameData.Tests.Layout;

/// <summary>
/// Folders depend downwards only (DESIGN.md). A folder is a namespace under <c>GameData</c> (<c>GameData.Loading</c>;
/// <c>GameData.Warehouses.*</c> is all Warehouses), and it may name a folder of a lower layer, or one of its own
/// layer as long as no cycle forms. One assembly lets any folder reach any other, so this reads the source: its
/// <c>using</c> lines and its qualified names (<c>GameData.Loading.X</c>, or <c>Loading.X</c> from inside <c>GameData</c>).
/// </summary>
public partial class FolderLayerTests
{
    /// <summary>Bottom to top.</summary>
    private static readonly (string Name, string[] Folders)[] Layers =
    [
        ("the bottom", ["Settings", "Files"]),
        ("the stages", ["Generation", "Validation", "Anomalies", "Loading", "Migrations", "Reporting"]),
        ("the warehouses", ["Warehouses"]),
        ("the chain's verbs", ["Chain", "Reset", "Dbt"]),
        ("the CLI", ["Cli"]),
    ];

    private static readonly string Source = Path.Combine(RepositoryFolders.Root(TestContext.CurrentContext.TestDirectory), "src");
    private static readonly Lazy<IReadOnlyList<Reference>> References = new(Read);

    [Test]
    public void Every_folder_has_a_layer()
    {
        var unknown = References.Value.SelectMany(r => new[] { (r.From, r.Where), (r.To, r.Where) })
            .Where(f => LayerOf(f.Item1) < 0).Select(f => $"{f.Item1} (as in {f.Where}) is in no layer; add it to the table").Distinct();
        Assert.That(string.Join("\n", unknown), Is.Empty);
    }

    [Test]
    public void No_folder_uses_a_folder_of_a_higher_layer()
    {
        var upward = References.Value
            .Where(r => LayerOf(r.From) >= 0 && LayerOf(r.To) > LayerOf(r.From))
            .Select(r => $"{r.Where}: `{r.Text}`: {r.From} ({Layers[LayerOf(r.From)].Name}) may not use {r.To} ({Layers[LayerOf(r.To)].Name})");
        Assert.That(string.Join("\n", upward), Is.Empty);
    }

    [Test]
    public void No_folders_of_one_layer_form_a_cycle()
    {
        var sameLayer = References.Value.Where(r => LayerOf(r.From) == LayerOf(r.To) && LayerOf(r.From) >= 0).ToList();
        var uses = sameLayer.GroupBy(r => r.From).ToDictionary(g => g.Key, g => g.Select(r => r.To).ToHashSet());
        bool Reaches(string from, string to)
        {
            var seen = new HashSet<string>();
            var next = new Stack<string>([from]);
            while (next.TryPop(out var folder))
                foreach (var used in uses.GetValueOrDefault(folder) ?? [])
                    if (used == to) return true;
                    else if (seen.Add(used)) next.Push(used);
            return false;
        }
        // A reference is in a cycle when its target leads back to its source.
        var cyclic = sameLayer.Where(r => Reaches(r.To, r.From))
            .Select(r => $"{r.Where}: `{r.Text}`: {r.From} uses {r.To}, which uses {r.From} in turn");
        Assert.That(string.Join("\n", cyclic), Is.Empty);
    }

    [Test]
    public void The_reader_finds_usings_and_qualified_names()
    {
        Assert.That(References.Value.Select(r => (r.From, r.To)).Distinct().Count(), Is.GreaterThan(10), "the reader reads the source");
        var text = """
                   using GameData.Files;
                   using static GameData.Loading.RawSchema;
                   namespace GameData.Validation;
                   /// <see cref="Generation.DatasetManifest"/>
                   class A { object B = GameData.Reporting.X.Y; object C = Settings.Kind; }
                   """;
        var types = new Dictionary<string, HashSet<string>> { ["Generation"] = ["DatasetManifest"] };
        Assert.That(ReferencesIn("a.cs", text, types).Select(r => r.To), Is.EqualTo(new[] { "Files", "Loading", "Generation", "Reporting" }));
    }

    private static int LayerOf(string folder) => Array.FindIndex(Layers, l => l.Folders.Contains(folder));

    private sealed record Reference(string From, string To, string Where, string Text);

    private static IReadOnlyList<Reference> Read()
    {
        var files = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Intersect(["obj", "bin"]).Any())
            .Select(f => (Path: Path.GetRelativePath(Path.GetDirectoryName(Source)!, f), Text: File.ReadAllText(f))).ToList();
        // The types each folder declares, to tell Loading.WarehouseException (a folder) from Settings.Kind (a property).
        var types = new Dictionary<string, HashSet<string>>();
        foreach (var (_, text) in files)
            if (FolderOf(text) is { } folder)
                types.TryAdd(folder, []);
        foreach (var (_, text) in files)
            if (NamespaceLine().Match(text) is { Success: true } ns)
            {
                types[ns.Groups[1].Value].UnionWith(TypeDeclaration().Matches(text).Select(m => m.Groups[1].Value));
                if (ns.Groups[2].Success) types[ns.Groups[1].Value].Add(ns.Groups[2].Value); // Warehouses.Snowflake.X
            }
        return files.SelectMany(f => ReferencesIn(f.Path, f.Text, types)).ToList();
    }

    private static IEnumerable<Reference> ReferencesIn(string path, string text, IReadOnlyDictionary<string, HashSet<string>> types)
    {
        if (FolderOf(text) is not { } from) yield break;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (NamespaceLine().IsMatch(line)) continue;
            var found = new List<string>();
            if (UsingLine().Match(line) is { Success: true } usingLine) found.Add(usingLine.Groups[1].Value);
            else
            {
                found.AddRange(QualifiedName().Matches(line).Select(m => m.Groups[1].Value));
                found.AddRange(RelativeName().Matches(line)
                    .Where(m => types.TryGetValue(m.Groups[1].Value, out var declared) && declared.Contains(m.Groups[2].Value))
                    .Select(m => m.Groups[1].Value));
            }
            foreach (var to in found.Distinct())
                if (to != from) yield return new Reference(from, to, $"{path.Replace('\\', '/')}:{i + 1}", line.Trim());
        }
    }

    /// <summary>The folder a file belongs to: the namespace's segment after <c>GameData</c>.</summary>
    private static string? FolderOf(string text) => NamespaceLine().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"^\s*namespace\s+GameData\.(\w+)(?:\.(\w+))?", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?GameData\.(\w+)")]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?<![\w.])GameData\.(\w+)\.")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?<![\w.])([A-Z]\w*)\.([A-Z]\w*)")]
    private static partial Regex RelativeName();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
    private static partial Regex TypeDeclaration();
}
