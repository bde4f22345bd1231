using System.Diagnostics;

namespace GameData.Tests;

/// <summary>
/// Runs a shell command on a pseudo-terminal (util-linux's <c>script</c>), as a person at a terminal would: what is
/// written to the process's standard input is typed there, so 0x03 is Ctrl+C for the command's whole process group.
/// </summary>
public static class PseudoTerminal
{
    public static Process Start(string command)
    {
        // env --default-signal: SIGINT back to its default and unblocked, whatever the runner left (a background job
        // of a shell without job control starts with it ignored).
        var start = new ProcessStartInfo("script", ["-qfec", $"env --default-signal=INT {command}", "/dev/null"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment.Remove("CI");
        start.Environment["TERM"] = "xterm";
        // script runs the command with $SHELL, else /bin/sh. Debian's sh (dash) dies of the Ctrl+C itself instead of
        // waiting for the command, so nothing after the command would run: CI runners often leave SHELL unset.
        start.Environment["SHELL"] = "/bin/bash";
        return Process.Start(start)!;
    }

    /// <summary>A command line for <see cref="Start"/>: each argument quoted for the shell.</summary>
    public static string Quote(IEnumerable<string> args) =>
        string.Join(' ', args.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
}
