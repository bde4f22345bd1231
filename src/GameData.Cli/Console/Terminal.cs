using GameData.Validation;
using Spectre.Console;

namespace GameData.Cli.Console;

/// <summary>
/// Where messages go. A person at a terminal gets a live progress bar; CI and redirected output get plain,
/// timestamped log lines instead (no escape codes in logs).
/// </summary>
public sealed class Terminal
{
    public Terminal(bool interactive) => Interactive = interactive;

    public bool Interactive { get; }

    public static Terminal Detect(bool ci) =>
        new(!ci && !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected
            && AnsiConsole.Profile.Capabilities.Interactive);

    /// <remarks>Every message is one line: control characters from the data are shown as escapes (<see cref="PrintableText"/>).</remarks>
    public void Info(string message)
    {
        message = PrintableText.Of(message);
        if (Interactive) AnsiConsole.MarkupLine(Markup.Escape(message));
        else System.Console.Out.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");
    }

    public void Warn(string message)
    {
        message = PrintableText.Of(message);
        if (Interactive) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
        else System.Console.Out.WriteLine($"{DateTime.Now:HH:mm:ss} warning: {message}");
    }

    /// <summary>One line on standard error: the whole of what a user needs to see when a command fails.</summary>
    public static void Error(string message) =>
        System.Console.Error.WriteLine($"error: {PrintableText.Of(GameData.Files.TemporaryFiles.NamedAsTheirTargets(message))}");

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink whose reports are fractions 0..1 plus a caption.
    /// Interactive: a live bar. Otherwise: a log line at most every 10% or 5 seconds.
    /// </summary>
    public T WithProgress<T>(string title, Func<IProgress<(double Fraction, string Caption)>, T> work)
    {
        if (!Interactive)
        {
            var log = new ThrottledLog(this, title);
            return work(log);
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: 1.0);
                result = work(new Progress(task));
                task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class Progress(ProgressTask task) : IProgress<(double Fraction, string Caption)>
    {
        public void Report((double Fraction, string Caption) value)
        {
            task.Value = value.Fraction;
            task.Description = Markup.Escape(value.Caption);
        }
    }

    private sealed class ThrottledLog(Terminal terminal, string title) : IProgress<(double Fraction, string Caption)>
    {
        private readonly System.Diagnostics.Stopwatch _sinceLast = System.Diagnostics.Stopwatch.StartNew();
        private double _lastFraction;

        public void Report((double Fraction, string Caption) value)
        {
            if (value.Fraction < 1 && value.Fraction - _lastFraction < 0.1 && _sinceLast.Elapsed.TotalSeconds < 5) return;
            _lastFraction = value.Fraction;
            _sinceLast.Restart();
            terminal.Info($"{title}: {value.Fraction:P0} {value.Caption}");
        }
    }
}
