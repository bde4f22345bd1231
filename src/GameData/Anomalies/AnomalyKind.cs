using GameData.Generation;
using GameData.Validation;
using static GameData.Anomalies.Injected;

namespace GameData.Anomalies;

/// <summary>How a defect enters a file: the row is changed, a row is added after it, or rows are added at the end.</summary>
public enum AnomalyChange { Changed, Added }

/// <summary>
/// One kind of defect the course teaches with: the file it goes into, the validator rule that finds it, the dbt
/// test a student's staging model should trip on it, and what it does to the row chosen to carry it. A kind
/// that draws junk values draws them in the same order every time: the same settings give the same bytes.
/// </summary>
public sealed record AnomalyKind(string Name, string File, Rule Rule, AnomalyChange Change, string Column, string DbtTest)
{
    /// <summary>What the defect does to the chosen row (its fields as generated).</summary>
    internal Func<Injection, string[], Injected> Inject { get; private init; } = null!;

    public static readonly AnomalyKind DuplicateEvent = new(
        "duplicate-event", DatasetFiles.Events, Rules.DuplicateKey, AnomalyChange.Added, "event_id", "unique (event_id)")
    { Inject = (_, row) => After((string[])row.Clone(), 0) };

    public static readonly AnomalyKind DuplicatePlayer = new(
        "duplicate-player", DatasetFiles.Players, Rules.DuplicateKey, AnomalyChange.Added, "player_id", "unique (player_id)")
    {
        Inject = (x, row) =>
        {
            // Registered again a little later, from another country, with other choices.
            var again = (string[])row.Clone();
            var later = Injection.Parse(row[1]).AddHours(x.Junk.Between(1, 72));
            if (later < x.WindowEnd) again[1] = Injection.Format(later);
            again[2] = x.Junk.OtherCountry(row[2]);
            again[3] = x.Junk.OtherLanguage(row[3]);
            again[4] = x.Junk.OtherDifficulty(row[4]);
            return After(again, 0);
        },
    };

    public static readonly AnomalyKind MissingCountry = new(
        "missing-country", DatasetFiles.Players, Rules.MissingValue, AnomalyChange.Changed, "country", "not_null (country)")
    { Inject = (_, row) => InPlace(row, 2, "") };

    public static readonly AnomalyKind MissingLanguage = new(
        "missing-language", DatasetFiles.Players, Rules.MissingValue, AnomalyChange.Changed, "language", "not_null (language)")
    { Inject = (_, row) => InPlace(row, 3, "") };

    public static readonly AnomalyKind MissingPlatform = new(
        "missing-platform", DatasetFiles.Events, Rules.MissingValue, AnomalyChange.Changed, "platform", "not_null (platform)")
    { Inject = (_, row) => InPlace(row, 4, "") };

    public static readonly AnomalyKind MissingProperties = new(
        "missing-properties", DatasetFiles.Events, Rules.MissingValue, AnomalyChange.Changed, "properties", "not_null (properties)")
    { Inject = (_, row) => InPlace(row, 6, "") };

    public static readonly AnomalyKind PlatformSpelling = new(
        "platform-spelling", DatasetFiles.Events, Rules.UnknownPlatform, AnomalyChange.Changed, "platform",
        "accepted_values (platform); PS3 passes after lower(trim(platform)), xbox 360 needs a mapping")
    { Inject = (x, row) => InPlace(row, 4, x.Junk.PlatformSpelling(row[4])) };

    public static readonly AnomalyKind UnknownPlatform = new(
        "unknown-platform", DatasetFiles.Events, Rules.UnknownPlatform, AnomalyChange.Changed, "platform", "accepted_values (platform)")
    { Inject = (x, row) => InPlace(row, 4, x.Junk.UnknownPlatform()) };

    public static readonly AnomalyKind EventNameSpelling = new(
        "event-name-spelling", DatasetFiles.Events, Rules.UnknownEventName, AnomalyChange.Changed, "event_name",
        "accepted_values (event_name), passes after lower(replace(event_name, ' ', '_'))")
    { Inject = (x, row) => InPlace(row, 3, x.Junk.EventNameSpelling(row[3])) };

    public static readonly AnomalyKind UnknownDifficulty = new(
        "unknown-difficulty", DatasetFiles.Players, Rules.UnknownDifficulty, AnomalyChange.Changed, "difficulty_selected",
        "accepted_values (difficulty_selected)")
    { Inject = (x, row) => InPlace(row, 4, x.Junk.UnknownDifficulty()) };

    public static readonly AnomalyKind CountryName = new(
        "country-name", DatasetFiles.Players, Rules.UnknownCountry, AnomalyChange.Changed, "country", "accepted_values (upper(country))")
    { Inject = (x, row) => InPlace(row, 2, x.Junk.CountryName(row[3])) };

    public static readonly AnomalyKind LanguageName = new(
        "language-name", DatasetFiles.Players, Rules.UnknownLanguage, AnomalyChange.Changed, "language",
        "accepted_values (lower(language))")
    { Inject = (x, row) => InPlace(row, 3, x.Junk.LanguageName(row[3])) };

    public static readonly AnomalyKind OrphanSession = new(
        "orphan-session", DatasetFiles.Sessions, Rules.OrphanPlayer, AnomalyChange.Added, "player_id",
        "relationships (sessions.player_id -> players)")
    {
        Inject = (x, row) =>
        {
            var orphan = (string[])row.Clone();
            orphan[0] = x.NewSessionId();
            orphan[1] = x.OrphanPlayer();
            return After(orphan, 1);
        },
    };

    public static readonly AnomalyKind OrphanEvent = new(
        "orphan-event", DatasetFiles.Events, Rules.OrphanPlayer, AnomalyChange.Added, "player_id",
        "relationships (events.player_id -> players)")
    {
        Inject = (x, row) =>
        {
            var orphan = (string[])row.Clone();
            orphan[0] = x.NewEventId();
            orphan[2] = x.OrphanPlayer();
            return After(orphan, 2);
        },
    };

    public static readonly AnomalyKind TimestampFormat = new(
        "timestamp-format", DatasetFiles.Events, Rules.TimestampFormat, AnomalyChange.Changed, "event_time",
        "not_null (try_to_timestamp(event_time))")
    { Inject = (x, row) => InPlace(row, 1, x.Junk.TimestampFormat(Injection.Parse(row[1]))) };

    public static readonly AnomalyKind SessionOrder = new(
        "session-order", DatasetFiles.Sessions, Rules.SessionOrder, AnomalyChange.Added, "session_end",
        "expression_is_true (session_end > session_start)")
    {
        Inject = (x, row) =>
        {
            var reversed = (string[])row.Clone();
            reversed[0] = x.NewSessionId();
            (reversed[2], reversed[3]) = (row[3], row[2]);
            return After(reversed, 3);
        },
    };

    public static readonly AnomalyKind FutureEvent = new(
        "future-event", DatasetFiles.Events, Rules.OutsideWindow, AnomalyChange.Changed, "event_time",
        "expression_is_true (event_time <= current_timestamp)")
    { Inject = (_, row) => InPlace(row, 1, Injection.Format(Injection.Parse(row[1]).AddYears(20))) };

    public static readonly AnomalyKind LateEvent = new(
        "late-event", DatasetFiles.Events, Rules.OutsideWindow, AnomalyChange.Added, "event_time",
        "an incremental model's lookback window (the event is older than the batch)")
    {
        Inject = (x, row) =>
        {
            // Delivered now, but it happened in the window before this one.
            var late = (string[])row.Clone();
            late[0] = x.NewEventId();
            late[1] = Injection.Format(Injection.Parse(row[1]).AddSeconds(-x.WindowSeconds));
            return After(late, 1);
        },
    };

    public static readonly AnomalyKind TruncatedProperties = new(
        "truncated-properties", DatasetFiles.Events, Rules.PropertiesJson, AnomalyChange.Changed, "properties",
        "not_null (try_parse_json(properties))")
    { Inject = (x, row) => InPlace(row, 6, row[6][..x.Junk.Between(row[6].Length / 2, row[6].Length - 1)]) };

    public static readonly AnomalyKind MissingPropertyKey = new(
        "missing-property-key", DatasetFiles.Events, Rules.PropertiesKeys, AnomalyChange.Changed, "properties",
        "not_null (properties:<key>)")
    {
        Inject = (x, row) =>
        {
            var members = Injection.Members(row[6]);
            members.RemoveAt(x.Junk.Between(0, members.Count - 1));
            return InPlace(row, 6, Injection.PythonJsonObject(members));
        },
    };

    public static readonly AnomalyKind WrongPropertyType = new(
        "wrong-property-type", DatasetFiles.Events, Rules.PropertiesType, AnomalyChange.Changed, "properties",
        "expression_is_true (typeof(properties:<key>) = 'INTEGER')")
    {
        Inject = (x, row) =>
        {
            // An integer sent as a string: {"chapter_id": "3"}.
            var members = Injection.Members(row[6]);
            var key = x.Junk.Pick(EventPropertySchema.For(System.Text.Encoding.UTF8.GetBytes(row[3]))!.IntegerKeys);
            var index = members.FindIndex(m => m.Key == key);
            members[index] = (members[index].Key, $"\"{members[index].Raw}\"");
            return InPlace(row, 6, Injection.PythonJsonObject(members));
        },
    };

    public static readonly AnomalyKind TestAccount = new(
        "test-account", DatasetFiles.Players, Rules.TestAccount, AnomalyChange.Added, "player_id",
        "a staging filter that drops player_id starting qa_, test_ or bot_")
    { Inject = (x, row) => x.AddTestAccount(row) };

    /// <summary>Every kind, in the order specs, anomalies.json and the report list them.</summary>
    public static readonly IReadOnlyList<AnomalyKind> All =
    [
        DuplicateEvent, DuplicatePlayer, MissingCountry, MissingLanguage, MissingPlatform, MissingProperties,
        PlatformSpelling, UnknownPlatform, EventNameSpelling, UnknownDifficulty, CountryName, LanguageName,
        OrphanSession, OrphanEvent, TimestampFormat, SessionOrder, FutureEvent, LateEvent,
        TruncatedProperties, MissingPropertyKey, WrongPropertyType, TestAccount,
    ];

    public static AnomalyKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}
