using System.Text.Json;
using Given = System.Collections.Generic.IReadOnlyDictionary<string, System.Collections.Generic.List<string?>>;

namespace GameData.Settings;

/// <summary>
/// The arguments given to <c>./build.sh</c>, read once for the Cake script (which asks <c>gamedata args</c>): what it
/// cannot use is refused, a misspelt name or target with the closest known one, and each verb gets the arguments it
/// takes, paths from the caller's folder (a preset's name and "-" as they are), secrets named for the child's
/// environment rather than put on its command line.
/// </summary>
public static class BuildArguments
{
    /// <summary>The answer to the Cake script's JSON request (<see cref="BuildRequest"/>): the routes, as JSON.</summary>
    public static string Answer(string request, Func<string, string> fullPath)
    {
        var asked = JsonSerializer.Deserialize(request, SettingsJson.Default.BuildRequest)!;
        return JsonSerializer.Serialize(Route(asked.Arguments, asked.Targets, fullPath), SettingsJson.Default.BuildRoutes);
    }

    /// <param name="given">Each argument given: its name and values (null for a bare flag).</param>
    /// <param name="targets">The build's targets, which <c>--target</c> must name.</param>
    /// <param name="fullPath">A path given, as a full path from the caller's folder.</param>
    public static BuildRoutes Route(Given given, IReadOnlyList<string> targets, Func<string, string> fullPath)
    {
        var known = ChainArguments.All.Where(a => a.Chain).ToList();
        var names = known.Select(a => a.Name).ToHashSet();
        foreach (var name in given.Keys.Where(k => !names.Contains(k)))
            throw new SettingsException($"unknown argument --{name}{Hint(name, names, "--")} (./build.sh --help lists them)");
        var valued = known.Where(a => !a.Switch && given.ContainsKey(a.Name)).ToList();
        foreach (var argument in valued.Where(a => given[a.Name].Contains(null)))
            throw new SettingsException($"{argument.Flag} needs a value, e.g. {argument.Flag}=...");
        // An empty value given as its own argument (--out "" with $OUT unset) is refused as --out= is, not read as "here".
        foreach (var argument in valued.Where(a => given[a.Name].Any(string.IsNullOrWhiteSpace)))
            throw ChainArguments.Empty($"{argument.Flag} ''");
        // A switch is on given bare or with a true word; every value is read, so a wrong word is refused wherever it is.
        var on = known.Where(a => a.Switch && given.ContainsKey(a.Name)
                                  && given[a.Name].Select(v => v is null || ChainArguments.Boolean(a.Flag, v)).ToList()[^1])
            .Select(a => a.Name).ToHashSet();
        if (given.TryGetValue("target", out var target) && !targets.Contains(target[^1], StringComparer.OrdinalIgnoreCase))
            throw new SettingsException($"there is no target '{target[^1]}'{Hint(target[^1]!, targets, "--target=")}; " +
                                        $"the targets are {string.Join(", ", targets)}");

        var verbs = ChainArguments.All.SelectMany(a => a.Verbs).Distinct().ToDictionary(v => v, v => RouteOf(v, given, on, fullPath));
        var help = known.DistinctBy(a => a.Name).Select(a => $"  {a.Flag,-18} {a.Help}{(a.Env is null ? "" : $" [{a.Env}]")}").ToList();
        return new BuildRoutes(on.Contains("dry-run"), given.TryGetValue("out", out var data) ? fullPath(data[^1]!) : null, verbs, help);
    }

    private static VerbRoute RouteOf(string verb, Given given, HashSet<string> on, Func<string, string> fullPath)
    {
        var (args, secrets, shown) = (new List<string>(), new Dictionary<string, string>(), new List<string> { "gamedata", verb });
        foreach (var argument in ChainArguments.For(verb).Where(a => a.Chain && given.ContainsKey(a.Name)))
        {
            if (argument.Switch)
            {
                if (on.Contains(argument.Name)) { args.Add(argument.Flag); shown.Add(argument.Flag); }
                continue;
            }
            foreach (var value in given[argument.Name].OfType<string>())
            {
                if (argument.Secret)
                {
                    // Never on a command line: `ps` shows it to every user, and Cake logs it.
                    secrets[argument.Env!] = argument.Name;
                    shown.Add($"({argument.Env} in its environment)");
                    continue;
                }
                var routed = argument.Path && value != "-" && argument.Presets?.Contains(value) != true ? fullPath(value) : value;
                args.AddRange([argument.Flag, routed]);
                shown.Add($"{argument.Flag} {routed}");
            }
        }
        return new VerbRoute(args, secrets, string.Join(' ', shown));
    }

    private static string Hint(string name, IEnumerable<string> known, string prefix) =>
        Spelling.Closest(name, known) is { } closest ? $"; did you mean {prefix}{closest}?" : "";
}

/// <summary>What the Cake script asks: the arguments given (name → values, null for a bare flag) and its targets.</summary>
public sealed record BuildRequest(Dictionary<string, List<string?>> Arguments, List<string> Targets);

/// <summary>The answer: whether this is a dry run, the dataset folder given (--out), each verb's route, the arguments' help.</summary>
public sealed record BuildRoutes(bool DryRun, string? Data, Dictionary<string, VerbRoute> Verbs, List<string> Help);

/// <summary>
/// What one verb is given: its arguments, the environment variables that carry a secret (each named with the argument whose
/// value it takes, which the caller already holds: a secret is never written out), and the line the build logs for it.
/// </summary>
public sealed record VerbRoute(List<string> Args, Dictionary<string, string> Secrets, string Shown);
