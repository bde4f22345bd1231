using System.Runtime.InteropServices;
using GameData.Settings;

namespace GameData.Cli.Console;

/// <summary>
/// Ctrl+C (SIGINT), SIGTERM (what CI runners and container stops send) and SIGHUP all cancel the work, which then
/// removes its temporary files and exits 130 or 143. At a prompt nothing is under way, so they end the process
/// at once; a second signal does too. A signal within a second of the first is the same interrupt delivered
/// twice (a terminal's Ctrl+C reaches both ./build.sh and this process, and the build passes it on).
/// </summary>
public sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private int _prompting;
    private int _exitCode;
    private long _firstSignalAt;

    /// <param name="out">The process's standard output and <paramref name="error"/>, for the line said before it ends.</param>
    public Interrupts(TextWriter @out, TextWriter error)
    {
        _out = @out;
        _error = error;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Handle(context, ExitCodes.Cancelled)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Handle(context, ExitCodes.Terminated)),
            // The terminal went away (a closed SSH session): clean up all the same.
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => Handle(context, ExitCodes.HungUp)),
        ];
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>130 after Ctrl+C or end of input, 143 after SIGTERM, 129 after SIGHUP.</summary>
    public int ExitCode => _exitCode == 0 ? ExitCodes.Cancelled : _exitCode;

    /// <summary>While the returned scope lives, a signal ends the process at once.</summary>
    public IDisposable Prompting()
    {
        Interlocked.Exchange(ref _prompting, 1);
        return new Scope(this);
    }

    private void Handle(PosixSignalContext context, int exitCode)
    {
        context.Cancel = true;
        var first = Interlocked.CompareExchange(ref _exitCode, exitCode, 0) == 0;
        if (first) Interlocked.Exchange(ref _firstSignalAt, Environment.TickCount64);
        else if (Environment.TickCount64 - Interlocked.Read(ref _firstSignalAt) < 1000) return;
        if (Volatile.Read(ref _prompting) == 1 || !first)
        {
            _out.WriteLine();
            Terminal.Error(_error, "cancelled; nothing was changed");
            Environment.Exit(exitCode);
        }
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancellation.Dispose();
    }

    private sealed class Scope(Interrupts interrupts) : IDisposable
    {
        public void Dispose() => Interlocked.Exchange(ref interrupts._prompting, 0);
    }
}
