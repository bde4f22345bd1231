using GameData.Validation;
using Spectre.Console;

namespace GameData.Cli.Console;

/// <summary>
/// Where messages go. A person at a terminal gets a live progress bar; CI and redirected output get plain,
/// timestamped log lines instead (no escape codes in logs).
/// </summary>
public sealed class Terminal
{
    private readonly TextWriter _log;
    private readonly TextWriter _error;
    private readonly IAnsiConsole? _console;

    /// <param name="log">
    /// Where messages go: the run's standard output, or its standard error when an output has standard output to itself.
    /// </param>
    /// <param name="error">The run's standard error.</param>
    public Terminal(bool interactive, TextWriter log, TextWriter error)
    {
        Interactive = interactive;
        _log = log;
        _error = error;
        if (interactive) _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(log) });
    }

    public bool Interactive { get; }

    /// <param name="standardOutputTaken">An output goes to standard output (<c>-</c>): the log goes to standard error.</param>
    public static Terminal Detect(CliContext context, bool ci, bool standardOutputTaken = false) =>
        new(!ci && context.AtTerminal, standardOutputTaken ? context.Error : context.Out, context.Error);

    /// <remarks>Every message is one line: control characters from the data are shown as escapes (<see cref="PrintableText"/>).</remarks>
    public void Info(string message)
    {
        message = PrintableText.Of(message);
        if (_console is not null) _console.MarkupLine(Markup.Escape(message));
        else _log.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");
    }

    public void Warn(string message)
    {
        message = PrintableText.Of(message);
        if (_console is not null) _console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
        else _log.WriteLine($"{DateTime.Now:HH:mm:ss} warning: {message}");
    }

    /// <summary>A line as it is (a table, a summary), with no time before it.</summary>
    public void Line(string text = "") => _log.WriteLine(text);

    /// <summary>Text with no end of line: a question at a prompt.</summary>
    public void Ask(string question) => _log.Write(question);

    /// <summary>One line on standard error: the whole of what a user needs to see when a command fails.</summary>
    public void Error(string message) => Error(_error, message);

    /// <inheritdoc cref="Error(string)"/>
    public static void Error(TextWriter error, string message) =>
        error.WriteLine($"error: {PrintableText.Of(GameData.Files.TemporaryFiles.NamedAsTheirTargets(message))}");

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink whose reports are fractions 0..1 plus a caption.
    /// Interactive: a live bar. Otherwise: a log line at most every 10% or 5 seconds.
    /// </summary>
    public T WithProgress<T>(string title, Func<IProgress<(double Fraction, string Caption)>, T> work)
    {
        if (_console is null)
        {
            var log = new ThrottledLog(this, title);
            return work(log);
        }
        T result = default!;
        _console.Progress()
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
