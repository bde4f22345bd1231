using GameData.Settings;

namespace GameData.Cli.Commands;

/// <summary>CI=true (as set by CI services) switches off prompts and live progress.</summary>
public static class CiFlag
{
    public static bool IsSet(SettingLayers layers) =>
        layers.Get("CI") is { } value && value.Text is not ("false" or "0");
}
