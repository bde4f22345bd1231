namespace GameData.Settings;

/// <summary>Reads a <c>.env</c> file: <c>KEY=value</c> lines, <c>#</c> comments, optional <c>export</c> and quotes.</summary>
public static class DotEnvFile
{
    public static IReadOnlyList<KeyValuePair<string, string?>> Read(string path)
    {
        var values = new List<KeyValuePair<string, string?>>();
        var lineNumber = 0;
        foreach (var rawLine in File.ReadLines(path))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var equals = line.IndexOf('=');
            if (equals <= 0)
                throw new SettingsException($"{path}:{lineNumber}: expected KEY=value");
            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
                value = value[1..^1];
            else if (value.IndexOf(" #", StringComparison.Ordinal) is var comment and >= 0)
                value = value[..comment].TrimEnd();
            values.Add(new(key, value));
        }
        return values;
    }
}
