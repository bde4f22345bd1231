using System.Globalization;
using System.Numerics;
using GameData.Settings;

namespace GameData.Generation;

/// <summary>Everything that decides the generated dataset. Defaults are the course's (GENERATOR.md, section 1).</summary>
public sealed record GenerationSettings(
    int Players,
    int MaxSessionsPerPlayer,
    string GameVersion,
    BigInteger Seed,
    int Batch,
    DateOnly Start,
    DateOnly End,
    IDatasetDefects? Anomalies = null)
{
    public static readonly GenerationSettings Defaults =
        new(2000, 25, "1.0.3", 42, 1, new DateOnly(2011, 1, 13), new DateOnly(2011, 2, 12));

    /// <summary>The last end day there is: the window runs to midnight after its end day.</summary>
    public static readonly DateOnly LatestEnd = DateOnly.MaxValue.AddDays(-1);

    public EventWindow Window => new(Start, End);

    /// <summary>
    /// Builds the settings from resolved layers, or throws <see cref="SettingsException"/> naming the bad value.
    /// Without defects: the Anomalies stage reads <c>--anomalies</c> (Generation knows no catalogue of defects).
    /// </summary>
    public static GenerationSettings From(SettingLayers layers)
    {
        var d = Defaults;
        var settings = new GenerationSettings(
            PositiveInt(layers, "N_PLAYERS", d.Players),
            PositiveInt(layers, "MAX_SESSIONS_PER_PLAYER", d.MaxSessionsPerPlayer),
            GameVersionText(layers, d.GameVersion),
            ParseSeed(layers, d.Seed),
            PositiveInt(layers, "LOAD_BATCH_ID", d.Batch),
            Date(layers, "EVENT_DATE_START", d.Start),
            Date(layers, "EVENT_DATE_END", d.End));
        if (settings.End < settings.Start)
        {
            var end = layers.Get("EVENT_DATE_END")?.Describe() ?? $"the default end date {d.End:yyyy-MM-dd}";
            var start = layers.Get("EVENT_DATE_START")?.Describe() ?? $"the default start date {d.Start:yyyy-MM-dd}";
            throw new SettingsException($"{end} is before the start date, {start} (the window includes both days)");
        }
        return settings;
    }

    private static int PositiveInt(SettingLayers layers, string key, int fallback)
    {
        if (layers.Get(key) is not { } value) return fallback;
        if (int.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number > 0)
            return number;
        // Digits only, yet no int: too large.
        if (value.Text.All(char.IsAsciiDigit) && value.Text.TrimStart('0').Length > 0)
            throw new SettingsException($"{value.Describe()} is out of range: a whole number from 1 to {int.MaxValue:N0}");
        throw new SettingsException($"{value.Describe()} is not a whole number greater than 0");
    }

    private static BigInteger ParseSeed(SettingLayers layers, BigInteger fallback)
    {
        if (layers.Get("GAME_DATA_SEED") is not { } value) return fallback;
        if (value.Text.Length > 10_000 ||
            !BigInteger.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
            throw new SettingsException($"{value.Describe()} is not an integer");
        return seed;
    }

    private static string GameVersionText(SettingLayers layers, string fallback)
    {
        if (layers.Get("GAME_VERSION") is not { } value) return fallback;
        if (value.Text.Any(char.IsControl))
            throw new SettingsException($"{value.Describe()} contains a control character");
        return value.Text;
    }

    private static DateOnly Date(SettingLayers layers, string key, DateOnly fallback)
    {
        if (layers.Get(key) is not { } value) return fallback;
        if (!DateOnly.TryParseExact(value.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new SettingsException($"{value.Describe()} is not a date in the form YYYY-MM-DD");
        if (date > LatestEnd)
            throw new SettingsException($"{value.Describe()} is too late: the window runs to midnight after its last day, " +
                $"so {LatestEnd:yyyy-MM-dd} is the latest");
        return date;
    }
}
