using System.Diagnostics;
using static GameData.Tests.Cli.BadInputTests;

namespace GameData.Tests.Cli;

/// <summary>
/// How the CLI reads its command line (issue 16, items 3, 4 and 16): one boolean syntax for every switch, an empty
/// value after <c>=</c> refused rather than taking the next argument, and bytes that are not UTF-8 refused rather
/// than replaced. Each run happens in an empty folder, which must stay empty when the input is refused.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ArgumentSyntaxTests
{
    [TestCase("yes")]
    [TestCase("1")]
    [TestCase("ON")]
    [TestCase("True")]
    public void Every_boolean_word_for_true_makes_a_dry_run(string word)
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run(["generate", "--players", "5", "--out", "data", $"--dry-run={word}"], workingDirectory: folder.Path);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("nothing was written (dry run)"));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty);
    }

    [TestCase("--dry-run=no")]
    [TestCase("--dry-run=OFF")]
    [TestCase("--dry-run=0")]
    [TestCase("--dry-run", "false")]
    public void Every_boolean_word_for_false_makes_a_real_run(params string[] flag)
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run(["generate", "--players", "5", "--out", "data", .. flag], workingDirectory: folder.Path);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(File.Exists(folder.File("data/manifest.json")), Is.True);
    }

    [TestCase("generate", "--dry-run=maybe", "--dry-run 'maybe' is not one of true/false, yes/no, 1/0, on/off", TestName = "A switch's value that is not a boolean word")]
    [TestCase("generate", "--force=2", "--force '2' is not one of true/false, yes/no, 1/0, on/off", TestName = "A switch's value of 2")]
    [TestCase("generate", "--dry-run=", "--dry-run '' is not one of true/false", TestName = "A switch's empty value")]
    public void A_switch_with_a_value_it_cannot_read_is_refused(string verb, string flag, string message)
    {
        using var folder = new TempFolder();
        AssertBadInput(CliRunner.Run([verb, "--players", "5", "--out", "data", flag], workingDirectory: folder.Path), message);
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty);
    }

    [TestCase("migrate", "--duckdb=", "--dry-run", TestName = "migrate --duckdb= --dry-run")]
    [TestCase("generate", "--out=", "--force", TestName = "generate --out= --force")]
    [TestCase("generate", "--out:", "--force", TestName = "generate --out: --force")]
    [TestCase("validate", "--report=", "--strict", TestName = "validate --report= --strict")]
    public void An_empty_value_after_the_equals_sign_is_refused_not_taken_from_the_next_argument(string verb, string flag, string next)
    {
        using var folder = new TempFolder();
        AssertBadInput(CliRunner.Run([verb, flag, next], workingDirectory: folder.Path), $"{flag[..^1]} '' is empty; give a value, or leave it out for the default");
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty);
    }

    [TestCase("generate", "--out", "--dry-run", TestName = "generate --out --dry-run")]
    [TestCase("migrate", "--duckdb", "--dry-run", TestName = "migrate --duckdb --dry-run")]
    [TestCase("validate", "--report", "--strict", TestName = "validate --report --strict")]
    public void An_option_followed_by_another_option_is_refused(string verb, string flag, string next)
    {
        using var folder = new TempFolder();
        AssertBadInput(CliRunner.Run([verb, flag, next], workingDirectory: folder.Path), $"{flag} needs a value, not the option {next} after it");
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty);
    }

    [Test]
    public void An_argument_that_is_not_UTF8_is_refused_not_replaced()
    {
        using var folder = new TempFolder();
        // Only a shell can pass bytes that are not UTF-8: .NET encodes every argument it passes.
        var start = new ProcessStartInfo("bash", ["-c", """exec dotnet "$0" generate --players 5 --out "$(printf 'd\377')" """,
            CliRunner.Dll])
        {
            WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        AssertBadInput(new CliResult(process.ExitCode, stdout.Result, stderr), "argument 5 ('d?') is not valid UTF-8");
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty, "nothing written under a replaced name");
    }
}
