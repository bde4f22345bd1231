using System.Globalization;
using Bogus;
using GameData.Generation;

namespace GameData.Anomalies;

/// <summary>
/// The wrong values real pipelines receive, drawn from one Bogus generator seeded from the run's seed: the same
/// settings give the same values on every machine (Bogus's own algorithm and data, pinned by its version).
/// </summary>
public sealed class JunkValues(Randomizer random)
{
    /// <summary>The course's languages that Bogus has locale data for (it has none for Belarusian).</summary>
    private static readonly string[] BogusLocales = ["en", "pl", "de", "fr", "es"];

    private static readonly Dictionary<string, string[]> PlatformSpellings = new()
    {
        ["ps3"] = ["PS3 ", "PS3", "Ps3", "ps 3", "PlayStation 3"],
        ["xbox360"] = ["Xbox360", "XBOX 360", "xbox 360", "Xbox 360 "],
        ["pc"] = ["PC", "Pc", " pc", "Windows PC"],
    };

    private static readonly string[] UnknownPlatforms = ["switch", "ps5", "android", "ios", "xbox one", "steam deck"];
    private static readonly string[] UnknownDifficulties = ["nightmare", "insane", "very hard", "legendary", "Hard+", "story"];

    public Randomizer Random => random;

    public int Between(int min, int max) => random.Number(min, max);

    public T Pick<T>(IReadOnlyList<T> values) => values[random.Number(0, values.Count - 1)];

    public string PlatformSpelling(string platform) => Pick(PlatformSpellings.GetValueOrDefault(platform) ?? ["PC"]);

    /// <summary>A console the game never shipped on, or now and then a browser's user agent sent as the platform.</summary>
    public string UnknownPlatform() => random.Number(0, 3) == 0 ? Faker("en").Internet.UserAgent() : Pick(UnknownPlatforms);

    public string UnknownDifficulty() => Pick(UnknownDifficulties);

    /// <summary>
    /// <c>player_died</c> as other systems write it: <c>Player_Died</c>, <c>PLAYER_DIED</c>, <c>player died</c>, <c>playerDied</c>.
    /// </summary>
    public string EventNameSpelling(string name)
    {
        var words = name.Split('_');
        return random.Number(0, 3) switch
        {
            0 => string.Join("_", words.Select(Capitalised)),
            1 => name.ToUpperInvariant(),
            2 => string.Join(" ", words),
            _ => words[0] + string.Concat(words.Skip(1).Select(Capitalised)),
        };
    }

    /// <summary>A time as other systems write it: <c>13/01/2011 08:15</c>, ISO 8601 in UTC, or Unix seconds.</summary>
    public string TimestampFormat(DateTime time) => random.Number(0, 2) switch
    {
        0 => time.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture),
        1 => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        _ => new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A country's name where its code belongs, in the player's language when Bogus speaks it.</summary>
    public string CountryName(string language) => Faker(LocaleFor(language)).Address.Country();

    /// <summary>A language's English name where its code belongs (Bogus's locale titles: "Polish", "German").</summary>
    public string LanguageName(string language) => Bogus.Database.GetLocale(LocaleFor(language))["title"].StringValue;

    /// <summary>A QA or bot account's ID, from a Bogus user name: <c>qa_brooks.cassin</c>, <c>bot_meryem36</c>.</summary>
    public string TestAccountId() =>
        $"{Pick(new[] { "qa", "qa", "test", "bot" })}_{Faker("en").Internet.UserName().ToLowerInvariant().Replace(",", "")}";

    private string LocaleFor(string language)
    {
        var code = language.ToLowerInvariant();
        return BogusLocales.Contains(code) ? code : Pick(BogusLocales);
    }

    private Faker Faker(string locale) => new(locale) { Random = random };

    private static string Capitalised(string word) =>
        word.Length == 0 ? word : char.ToUpper(word[0], CultureInfo.InvariantCulture) + word[1..];

    /// <summary>A valid code other than <paramref name="current"/>: a second registration that disagrees with the first.</summary>
    public string OtherCountry(string current) =>
        Pick(GameCatalog.Countries.Select(c => c.Country).Where(c => !c.Equals(current, StringComparison.OrdinalIgnoreCase)).ToList());

    public string OtherLanguage(string current) =>
        Pick(GameCatalog.Countries.Select(c => c.Language).Where(c => !c.Equals(current, StringComparison.OrdinalIgnoreCase)).ToList());

    public string OtherDifficulty(string current) => Pick(GameCatalog.Difficulties.Where(d => d != current).ToList());
}
