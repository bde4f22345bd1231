using System.CommandLine;
using System.Globalization;
using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary>
/// A verb's options, made from the chain's argument list (<see cref="ChainArguments"/>), and the values a
/// parse gave them. An explicitly empty value is refused wherever it is read.
/// </summary>
public sealed class VerbOptions
{
    private readonly string _verb;
    private readonly CliContext _context;
    private readonly Dictionary<string, Option> _options = [];

    private VerbOptions(string verb, CliContext context) => (_verb, _context) = (verb, context);

    /// <summary>Adds every argument the list gives <paramref name="verb"/> to <paramref name="command"/>.</summary>
    public static VerbOptions For(Command command, string verb, CliContext context)
    {
        var options = new VerbOptions(verb, context);
        foreach (var argument in ChainArguments.For(verb))
        {
            Option option = argument.Switch ? new Option<bool>(argument.Flag)
                : argument.IsMany(verb) ? new Option<string[]>(argument.Flag) { AllowMultipleArgumentsPerToken = false }
                : new Option<string?>(argument.Flag);
            option.Description = argument.Description;
            // Given but empty (`--schema "$STUDENT"` with the variable unset) is a mistake, whether or not this run reads it.
            option.Validators.Add(result =>
            {
                if (result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
                    result.AddError(ChainArguments.Empty($"{argument.Flag} ''").Message);
            });
            options._options[argument.Name] = option;
            command.Options.Add(option);
        }
        return options;
    }

    public bool Switch(ParseResult parse, string name) => parse.GetValue((Option<bool>)_options[name]);

    /// <summary>The value given, or null when the flag is absent; an empty value is an error.</summary>
    public string? Text(ParseResult parse, string name)
    {
        var value = parse.GetValue((Option<string?>)_options[name]);
        if (value is not null && string.IsNullOrWhiteSpace(value))
            throw ChainArguments.Empty($"--{name} ''");
        return value;
    }

    /// <summary>A path given, as a full path from the caller's folder; null when the flag is absent.</summary>
    public string? Path(ParseResult parse, string name) => Text(parse, name) is { } path ? _context.FullPath(path) : null;

    /// <summary>Every value of a flag that may be repeated, each split at commas.</summary>
    public IReadOnlyList<string> Many(ParseResult parse, string name) =>
        (parse.GetValue((Option<string[]>)_options[name]) ?? [])
        .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))
        .Select(v => v.Length > 0 ? v : throw new SettingsException($"--{name} holds an empty name"))
        .ToList();

    /// <summary>A whole number of seconds, 0 or more.</summary>
    public TimeSpan Seconds(ParseResult parse, string name)
    {
        var text = Text(parse, name) ?? ChainArguments.All.First(a => a.Name == name).Default!;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            throw new SettingsException($"--{name} '{text}' must be 0 (do not wait) or a whole number of seconds");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Resolves the setting layers: .env &lt; environment &lt; the flags that name a setting.</summary>
    public SettingLayers Layers(ParseResult parse)
    {
        var explicitFile = _options.ContainsKey("env-file") ? Text(parse, "env-file") : null;
        var fullFile = explicitFile is null ? null : _context.FullPath(explicitFile);
        if (fullFile is not null && Directory.Exists(fullFile))
            throw new SettingsException($"--env-file '{explicitFile}' is a folder, not a settings file");
        if (fullFile is not null && !File.Exists(fullFile))
            throw new SettingsException($"--env-file '{explicitFile}' does not exist");
        // A flag this verb takes several of is a list (read with Many), not a setting.
        var flags = ChainArguments.For(_verb).Where(a => a.Env is not null && !a.Switch && !a.IsMany(_verb))
            .Select(a => new KeyValuePair<string, string?>(a.Env!, parse.GetValue((Option<string?>)_options[a.Name])));
        return SettingLayers.Standard(fullFile ?? RepositoryFolders.DefaultDotEnv(_context.BaseDirectory), _context.Environment, flags,
            _context.BaseDirectory);
    }
}
