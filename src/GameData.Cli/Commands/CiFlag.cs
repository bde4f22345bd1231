using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary>CI=true (as set by CI services) switches off prompts and live progress.</summary>
public static class CiFlag
{
    public static bool IsSet(SettingLayers layers) => layers.Switch("CI") is { } value && value is not ("false" or "0");

    /// <summary>For commands that take no other settings from the environment.</summary>
    public static bool InEnvironment(CliContext context) =>
        IsSet(new SettingLayers().Add("environment", [new("CI", context.Variable("CI"))]));
}
