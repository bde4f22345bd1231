using System.Diagnostics;

namespace GameData.Tests.Build;

/// <summary>
/// Copies of the repository for the tests that run <c>./build.sh</c>, so that they never write into the working
/// tree. Most share one copy whose published CLI is brought up to date once; a test that edits sources makes a
/// private copy of that one. Files keep their times written, so a copy's CLI is up to date exactly when its
/// original's is, and the compiler's intermediate files come along, so a publish after an edit is incremental.
/// </summary>
public static class RepositoryCopy
{
    private static readonly string Root = Settings.RepositoryFolders.Root(TestContext.CurrentContext.TestDirectory);
    private static readonly Lazy<string> SharedCopy = new(() => UpToDate(Make(Root, "repository")));

    /// <summary>The copy the build tests share: do not edit its files.</summary>
    public static string Shared => SharedCopy.Value;

    /// <summary>A copy of <see cref="Shared"/> of the test's own, for a test that edits sources.</summary>
    public static string Private() => Make(Shared, "repository-" + Guid.NewGuid().ToString("N")[..8]);

    private static string Make(string from, string name)
    {
        var copy = TestRunFolders.Of(name);
        var files = Git(from, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Concat(Below(from, "artifacts/cli")).Concat(Below(from, "build/tools")).Concat(Below(from, "src/GameData/obj")).Concat(Below(from, "src/GameData.Cli/obj"));
        foreach (var file in files.Where(f => File.Exists(Path.Combine(from, f))))
        {
            var target = Path.Combine(copy, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(from, file), target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(Path.Combine(from, file)));
        }
        // git ls-files answers only inside a repository: the copy is one too (its history is not needed).
        Git(copy, "init", "-q");
        Git(copy, "add", "-A");
        return copy;
    }

    /// <summary>Publishes the copy's CLI if its sources are newer (the build's own rule), so the tests never do.</summary>
    private static string UpToDate(string copy)
    {
        // BuildCli skips itself while the CLI is up to date; one player is generated, as cheap a task as there is.
        Run("bash", [Path.Combine(copy, "build.sh"), "--target=Generate", "--players=1", $"--out={copy}/data"], copy);
        return copy;
    }

    private static IEnumerable<string> Below(string root, string folder) =>
        Directory.Exists(Path.Combine(root, folder))
            ? Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f))
            : [];

    private static string Git(string folder, params string[] args) => Run("git", ["-C", folder, .. args], folder);

    /// <summary>Runs a command to its end and returns its output; throws with its errors when it fails.</summary>
    private static string Run(string command, string[] args, string folder)
    {
        var start = new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed in {folder}: {output}{errors.Result}");
        return output;
    }
}
