using System.Text.RegularExpressions;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Dbt;

/// <summary>
/// What OptionalDbtBuild runs, resolved once: the project, which dbt, which profiles, target, command and extra
/// arguments, and where dbt writes its artifacts when set (<c>--target-path</c> in the extra arguments, else
/// <c>DBT_TARGET_PATH</c>; dbt's <c>target</c> otherwise).
/// </summary>
public sealed partial record DbtSettings(
    string ProjectDirectory, string? Executable, string? ProfilesDirectory, string Target, string DevSchema, string Command,
    IReadOnlyList<string> ExtraArguments, string? TargetPath)
{
    public const string TargetPathVariable = "DBT_TARGET_PATH";

    /// <summary>A dbt command: one word (build, run) or two (docs generate, source freshness).</summary>
    [GeneratedRegex("^[a-z][a-z-]*( [a-z][a-z-]*)?$")]
    private static partial Regex CommandWords();

    /// <summary>The value of <c>--target-path X</c> or <c>--target-path=X</c>, the last one given.</summary>
    private static string? TargetPathIn(IReadOnlyList<string> arguments) => arguments
        .Select((argument, i) => argument.StartsWith("--target-path=", StringComparison.Ordinal) ? argument["--target-path=".Length..]
            : argument == "--target-path" && i + 1 < arguments.Count ? arguments[i + 1] : null)
        .LastOrDefault(path => path is not null);

    /// <summary>The settings, or null when no project is named (OptionalDbtBuild is then skipped).</summary>
    public static DbtSettings? From(SettingLayers layers, IWarehouseProvider warehouse,
        string? profilesDirectory, string? target, string? devSchema, string? command, string? extraArguments)
    {
        if (layers.Get("DBT_PROJECT_DIR") is not { } project) return null;
        if (profilesDirectory is not null && !File.Exists(Path.Combine(layers.FullPath(profilesDirectory), "profiles.yml")))
            throw new SettingsException($"--dbt-profiles-dir '{profilesDirectory}' holds no profiles.yml");
        var chosenTarget = target ?? DbtProfile.DevTarget;
        if (chosenTarget is not (DbtProfile.DevTarget or DbtProfile.CiTarget) && profilesDirectory is null)
            throw new SettingsException(
                $"--dbt-target '{chosenTarget}' is not a target gamedata's profile has (dev or ci; use --dbt-profiles-dir for your own)");
        var chosenCommand = command ?? "build";
        if (!CommandWords().IsMatch(chosenCommand))
            throw new SettingsException($"--dbt-command '{chosenCommand}' is not a dbt command " +
                "(build, run, test, compile, seed, docs generate, source freshness, ...)");
        var arguments = extraArguments is null ? [] : ShellWords.Split(extraArguments);
        return new DbtSettings(
            layers.FullPath(project.Text),
            layers.Get("DBT_EXE")?.Text is { } executable ? layers.FullPath(executable) : null,
            profilesDirectory is null ? null : layers.FullPath(profilesDirectory),
            chosenTarget,
            SqlIdentifier.Schema(devSchema ?? DbtProfile.DevTarget, warehouse, $"--dbt-schema '{devSchema}'"),
            chosenCommand,
            arguments,
            TargetPathIn(arguments) ?? layers.Get(TargetPathVariable)?.Text);
    }
}
