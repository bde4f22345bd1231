using System.Text;
using GameData.Generation;
using GameData.Validation;

namespace GameData.Tests.Validation;

/// <summary>
/// A small generated dataset copied to a temporary folder, to be broken on purpose. Lines are
/// physical lines: line 1 is the header, line 2 the first row.
/// </summary>
public sealed class BrokenDataset : IDisposable
{
    public static readonly GenerationSettings Settings = GenerationSettings.Defaults with { Players = 30 };
    private static readonly Lazy<string> Template = new(() =>
    {
        var folder = TestRunFolders.Of("validation-template");
        if (!File.Exists(Path.Combine(folder, DatasetManifest.FileName))) DatasetGenerator.Generate(Settings, folder);
        return folder;
    });

    private readonly TempFolder _folder = new();

    /// <param name="keepManifest">Without the manifest, validation takes the window from the settings instead.</param>
    public BrokenDataset(bool keepManifest = false)
    {
        foreach (var file in Directory.GetFiles(Template.Value))
            File.Copy(file, Path.Combine(_folder.Path, Path.GetFileName(file)));
        if (!keepManifest) File.Delete(Path.Combine(_folder.Path, DatasetManifest.FileName));
    }

    public string Folder => _folder.Path;

    public string PathOf(string file) => Path.Combine(Folder, file);

    public string[] Lines(string file) => File.ReadAllText(PathOf(file)).Split('\n')[..^1];

    /// <summary>Rewrites the file's lines (LF, final newline kept).</summary>
    public void WriteLines(string file, IEnumerable<string> lines) =>
        File.WriteAllText(PathOf(file), string.Concat(lines.Select(l => l + "\n")));

    /// <summary>Replaces one physical line (1 = header).</summary>
    public void EditLine(string file, int line, Func<string, string> edit)
    {
        var lines = Lines(file);
        lines[line - 1] = edit(lines[line - 1]);
        WriteLines(file, lines);
    }

    /// <summary>Replaces field <paramref name="field"/> of a line without quotes in the fields before it.</summary>
    public void EditField(string file, int line, int field, string value) =>
        EditLine(file, line, text =>
        {
            var parts = text.Split(',', field + 2);
            parts[field] = value;
            return string.Join(',', parts);
        });

    /// <summary>Replaces the properties field (the last one) of an events line with this JSON.</summary>
    public void SetProperties(int line, string json) =>
        EditLine(DatasetFiles.Events, line, text => text[..text.IndexOf(",\"{", StringComparison.Ordinal)] + ",\"" + json.Replace("\"", "\"\"") + "\"");

    public void WriteBytes(string file, byte[] bytes) => File.WriteAllBytes(PathOf(file), bytes);

    public byte[] Bytes(string file) => File.ReadAllBytes(PathOf(file));

    public ValidationReport Validate(bool strict = false) =>
        DatasetValidator.Validate(new ValidationOptions(Folder, strict, Settings.Window));

    /// <summary>The first events line (1-based) whose event_name is <paramref name="eventName"/>.</summary>
    public int LineOfEvent(string eventName) =>
        Array.FindIndex(Lines(DatasetFiles.Events), l => l.Split(',')[3] == eventName) + 1;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public void Dispose() => _folder.Dispose();
}
