using System.Text;

namespace GameData.Generation;

/// <summary>
/// The fixed lists the reference generator draws from (GENERATOR.md sections 3 to 5), as UTF-8 bytes; and the game's
/// vocabulary (countries, languages, difficulties, platforms) once, which the validator, the report and its SQL take too.
/// </summary>
public static class GameCatalog
{
    public static readonly (string Country, string Language)[] Countries =
        [("us", "en"), ("pl", "pl"), ("de", "de"), ("fr", "fr"), ("es", "es"), ("by", "be")];

    public static readonly string[] Difficulties = ["easy", "normal", "hard", "grounded"];
    public static readonly byte[][] DifficultyNames = Utf8(Difficulties);
    public static readonly WeightTable DifficultyWeights = new(0.15, 0.55, 0.20, 0.10);
    /// <summary>Chance of a death per chapter, by difficulty index.</summary>
    public static readonly double[] DeathChance = [0.1, 0.3, 0.6, 0.8];

    /// <summary>Session lengths short, medium and long: their weights and their ranges of minutes.</summary>
    public static readonly WeightTable SessionLengthWeights = new(0.25, 0.50, 0.25);
    public static readonly (int Min, int Max)[] SessionMinutes = [(5, 20), (20, 60), (60, 180)];

    public static readonly string[] Platforms = ["ps3", "xbox360", "pc"];
    public static readonly byte[][] PlatformNames = Utf8(Platforms);
    public static readonly WeightTable PlatformWeights = new(0.50, 0.35, 0.15);

    public static readonly byte[][] Resolutions = Utf8("1080p", "1440p", "4K");
    public static readonly int[] FpsTargets = [30, 60, 120];
    public static readonly byte[][] AudioQualities = Utf8("low", "medium", "high");

    public static readonly byte[][] Chapters = Utf8(
        "The Outskirts", "The Quarantine Zone", "Downtown", "The Suburbs", "The University",
        "The Hospital", "The Financial District", "The Docks", "The Bridge", "The Firefly Lab");
    public static readonly byte[][] Locations = Utf8(
        "abandoned_building", "street", "sewer", "rooftop", "warehouse", "park", "subway", "apartment", "mall", "school");
    public static readonly byte[][] Weathers = Utf8("clear", "rain", "fog", "snow");
    public static readonly byte[][] TimesOfDay = Utf8("dawn", "day", "dusk", "night");

    public static readonly byte[][] EnemyTypes = Utf8("infected", "human");
    public static readonly byte[][][] EnemiesByType =
    [
        Utf8("runner", "clicker", "bloater", "stalker", "shambler"),
        Utf8("hunter", "soldier", "scavenger", "bandit", "merchant"),
    ];
    public static readonly byte[][] WeaponTypes = Utf8("pistol", "rifle", "bow");
    public static readonly byte[][][] WeaponsByType =
    [
        Utf8("9mm_pistol", "revolver", "silenced_pistol"),
        Utf8("hunting_rifle", "assault_rifle", "sniper_rifle"),
        Utf8("hunting_bow", "compound_bow"),
    ];

    public static readonly byte[][] DeathReasons = Utf8("combat", "environment", "fall", "explosion");
    public static readonly byte[][] LastEnemyTypes = Utf8("infected", "human", "none");

    public static readonly byte[][] CraftedItems = Utf8("medkit", "molotov", "shiv");
    public static readonly byte[][][] MaterialsByItem =
    [
        Utf8("alcohol", "rag", "scissors"),
        Utf8("alcohol", "rag", "bottle"),
        Utf8("scissors", "tape", "blade"),
    ];

    public static readonly byte[][] CloseReasons = Utf8("normal", "quit", "menu", "idle_timeout");

    /// <summary>The three case variants a code is drawn from: lower, UPPER, Title.</summary>
    public static byte[][] CaseVariants(string code) =>
        Utf8(code.ToLowerInvariant(), code.ToUpperInvariant(), char.ToUpperInvariant(code[0]) + code[1..].ToLowerInvariant());

    /// <summary>Values in a sentence: <c>ps3, xbox360 or pc</c>.</summary>
    public static string OneOf(IReadOnlyList<string> values) => $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";

    /// <summary>Values as a SQL list's items: <c>'ps3', 'xbox360', 'pc'</c>.</summary>
    public static string SqlList(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));

    private static byte[][] Utf8(params string[] values) => values.Select(Encoding.UTF8.GetBytes).ToArray();
}
