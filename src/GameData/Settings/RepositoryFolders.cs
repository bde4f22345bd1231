namespace GameData.Settings;

/// <summary>Where the repository is, so that <c>data/</c> lands at its root wherever the command is run from.</summary>
public static class RepositoryFolders
{
    private const string Marker = "GameData.slnx";

    /// <summary>
    /// The nearest folder at or above <paramref name="start"/> (default: the current one) that holds the solution file, else the start.
    /// </summary>
    public static string Root(string? start = null)
    {
        start ??= Directory.GetCurrentDirectory();
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Marker))) return dir.FullName;
        return start;
    }

    /// <summary>The repository's migrations folder, found from where a program's assemblies are (tests, benchmarks).</summary>
    public static string MigrationsNear(string assemblyDirectory) => Path.Combine(Root(assemblyDirectory), "migrations");

    /// <summary>
    /// The migrations the CLI was built with, copied beside it (so a published CLI run from anywhere has them),
    /// else the repository's.
    /// </summary>
    public static string DefaultMigrations(string? start = null)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "migrations");
        return Directory.Exists(beside) ? beside : Path.Combine(Root(start), "migrations");
    }

    /// <param name="start">The caller's folder (default: the current one).</param>
    public static string DefaultData(string? start = null) => Path.Combine(Root(start), "data");

    public static string DefaultDotEnv(string? start = null) => Path.Combine(Root(start), ".env");
}
