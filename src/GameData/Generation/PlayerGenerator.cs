using GameData.Settings;

namespace GameData.Generation;

/// <summary>One generated player; <see cref="Difficulty"/> indexes <see cref="GameCatalog.Difficulties"/>.</summary>
public readonly record struct Player(long Number, long FirstSeenAt, byte[] Country, byte[] Language, int Difficulty);

/// <summary>The players stage (GENERATOR.md section 3), with its own freshly seeded generator.</summary>
public sealed class PlayerGenerator(GenerationSettings settings)
{
    public const string Header = "player_id,first_seen_at,country,language,difficulty_selected";

    private static readonly (byte[][] Country, byte[][] Language)[] Variants =
        GameCatalog.Countries.Select(c => (GameCatalog.CaseVariants(c.Country), GameCatalog.CaseVariants(c.Language))).ToArray();

    private readonly PythonRandom _random = new(settings.Seed);
    private readonly EventWindow _window = settings.Window;
    private long _number;

    public Player Next()
    {
        var country = (int)_random.Below(Variants.Length);
        var firstSeenAt = _window.RangeStart + _random.RandInt(0, Math.Max(0, _window.Seconds - 1));
        var countryText = _random.Choice(Variants[country].Country);
        var languageText = _random.Choice(Variants[country].Language);
        var difficulty = _random.WeightedIndex(GameCatalog.DifficultyWeights);
        return new Player(++_number, firstSeenAt, countryText, languageText, difficulty);
    }

    public static void WriteRow(RawCsvWriter csv, RawIds ids, in Player player)
    {
        csv.Write(ids.Player);
        csv.Write(player.Number);
        csv.Write((byte)',');
        csv.WriteTimestamp(player.FirstSeenAt);
        csv.Write((byte)',');
        csv.Write(player.Country);
        csv.Write((byte)',');
        csv.Write(player.Language);
        csv.Write((byte)',');
        csv.Write(GameCatalog.DifficultyNames[player.Difficulty]);
        csv.EndLine();
    }
}
