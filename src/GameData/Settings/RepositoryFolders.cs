namespace GameData.Settings;

/// <summary>Where the repository is, so that <c>data/</c> lands at its root wherever the command is run from.</summary>
public static class RepositoryFolders
{
    private const string Marker = "GameData.slnx";

    /// <summary>The nearest folder at or above the current one that holds the solution file, else the current folder.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Marker))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    public static string DefaultData() => Path.Combine(Root(), "data");

    public static string DefaultDotEnv() => Path.Combine(Root(), ".env");
}
