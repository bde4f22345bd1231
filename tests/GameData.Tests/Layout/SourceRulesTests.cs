using System.Text.RegularExpressions;
using GameData.Settings;

namespace GameData.Tests.Layout;

/// <summary>The rules of <c>.editorconfig</c> that the compiler does not check, checked on <c>src/</c>.</summary>
public partial class SourceRulesTests
{
    private const int LongestLine = 140;

    private static readonly string Source = Path.Combine(RepositoryFolders.Root(TestContext.CurrentContext.TestDirectory), "src");

    private static IEnumerable<(string Path, string[] Lines)> Files() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Intersect(["obj", "bin"]).Any())
            .Select(f => (Path.GetRelativePath(Source, f).Replace('\\', '/'), File.ReadAllLines(f)));

    [Test]
    public void No_line_is_longer_than_140_characters()
    {
        var longLines = Files()
            .SelectMany(f => f.Lines.Select((text, i) => (f.Path, Number: i + 1, text.Length)))
            .Where(l => l.Length > LongestLine)
            .Select(l => $"src/{l.Path}:{l.Number}: {l.Length} characters, over {LongestLine}: wrap it");
        Assert.That(string.Join("\n", longLines), Is.Empty);
    }

    [Test]
    public void A_public_exception_or_interface_has_a_file_of_its_own()
    {
        var crowded = Files()
            .Select(f => (f.Path, Types: f.Lines.Select(l => PublicType().Match(l)).Where(m => m.Success).ToList()))
            .Where(f => f.Types.Count > 1 && f.Types.Any(m => m.Groups[1].Value == "interface" || m.Groups[2].Value.EndsWith("Exception", StringComparison.Ordinal)))
            .Select(f => $"src/{f.Path} declares {string.Join(", ", f.Types.Select(m => m.Groups[2].Value))}: one public type per file");
        Assert.That(string.Join("\n", crowded), Is.Empty);
    }

    /// <summary>A top-level public type (file-scoped namespaces: no indentation).</summary>
    [GeneratedRegex(@"^public (?:(?:sealed|static|abstract|partial|readonly) )*(class|record|struct|interface|enum)(?: struct| class)? (\w+)")]
    private static partial Regex PublicType();
}
