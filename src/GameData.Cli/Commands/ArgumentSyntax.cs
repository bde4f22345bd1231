using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary>
/// The command line read by the chain's rules before System.CommandLine parses it: a switch takes any of the
/// argument list's boolean words (<c>--dry-run=yes</c>, as ./build.sh takes too), an empty value after <c>=</c>
/// is an error rather than a reason to take the next argument, a value-taking option is not given the next
/// option as its value, and bytes that are not UTF-8 (which .NET replaces by U+FFFD) are refused.
/// </summary>
public static class ArgumentSyntax
{
    /// <summary>The arguments with each switch written as System.CommandLine reads it, or a <see cref="SettingsException"/>.</summary>
    public static string[] Normalize(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
            if (args[i].Contains('\uFFFD'))
                throw new SettingsException($"argument {i + 1} ('{args[i].Replace('\uFFFD', '?')}') is not valid UTF-8; " +
                                            "it would be read as another name, so give it in UTF-8");
        if (args.Length == 0) return args;

        var options = ChainArguments.For(args[0]).ToDictionary(a => a.Flag, StringComparer.Ordinal);
        var normalized = new List<string> { args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            // --name=value and --name:value, split as System.CommandLine splits them.
            var split = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i].IndexOfAny(['=', ':']) : -1;
            var flag = split > 0 ? args[i][..split] : args[i];
            if (!options.TryGetValue(flag, out var option))
            {
                normalized.Add(args[i]);
                continue;
            }
            var value = split > 0 ? args[i][(split + 1)..] : null;
            if (option.Switch)
            {
                // No verb takes a word of its own, so a word after a switch can only be its value.
                if (value is null && i + 1 < args.Length && !args[i + 1].StartsWith('-')) value = args[++i];
                if (value is null || ChainArguments.Boolean(flag, value)) normalized.Add(flag);
                continue;
            }
            if (value is not null && string.IsNullOrWhiteSpace(value))
                throw ChainArguments.Empty($"{flag} ''");
            // Only the verb's own options: a value may begin with -- (--dbt-args "--select staging").
            if (value is null && i + 1 < args.Length && options.ContainsKey(args[i + 1].Split('=', ':')[0]))
                throw new SettingsException($"{flag} needs a value, not the option {args[i + 1]} after it");
            normalized.Add(args[i]);
        }
        return [.. normalized];
    }
}
