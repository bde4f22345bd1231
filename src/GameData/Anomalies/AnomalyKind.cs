using GameData.Generation;
using GameData.Validation;

namespace GameData.Anomalies;

/// <summary>How a defect enters a file: the row is changed, a row is added after it, or rows are added at the end.</summary>
public enum AnomalyChange { Changed, Added }

/// <summary>
/// One kind of defect the course teaches with: the file it goes into, the validator rule that finds it, and
/// the dbt test a student's staging model should trip on it.
/// </summary>
public sealed record AnomalyKind(string Name, string File, Rule Rule, AnomalyChange Change, string Column, string DbtTest)
{
    public static readonly AnomalyKind DuplicateEvent = new("duplicate-event", DatasetFiles.Events, Rules.DuplicateKey, AnomalyChange.Added, "event_id", "unique (event_id)");
    public static readonly AnomalyKind DuplicatePlayer = new("duplicate-player", DatasetFiles.Players, Rules.DuplicateKey, AnomalyChange.Added, "player_id", "unique (player_id)");
    public static readonly AnomalyKind MissingCountry = new("missing-country", DatasetFiles.Players, Rules.MissingValue, AnomalyChange.Changed, "country", "not_null (country)");
    public static readonly AnomalyKind MissingLanguage = new("missing-language", DatasetFiles.Players, Rules.MissingValue, AnomalyChange.Changed, "language", "not_null (language)");
    public static readonly AnomalyKind MissingPlatform = new("missing-platform", DatasetFiles.Events, Rules.MissingValue, AnomalyChange.Changed, "platform", "not_null (platform)");
    public static readonly AnomalyKind MissingProperties = new("missing-properties", DatasetFiles.Events, Rules.MissingValue, AnomalyChange.Changed, "properties", "not_null (properties)");
    public static readonly AnomalyKind PlatformSpelling = new("platform-spelling", DatasetFiles.Events, Rules.UnknownPlatform, AnomalyChange.Changed, "platform", "accepted_values (platform); PS3 passes after lower(trim(platform)), xbox 360 needs a mapping");
    public static readonly AnomalyKind UnknownPlatform = new("unknown-platform", DatasetFiles.Events, Rules.UnknownPlatform, AnomalyChange.Changed, "platform", "accepted_values (platform)");
    public static readonly AnomalyKind EventNameSpelling = new("event-name-spelling", DatasetFiles.Events, Rules.UnknownEventName, AnomalyChange.Changed, "event_name", "accepted_values (event_name), passes after lower(replace(event_name, ' ', '_'))");
    public static readonly AnomalyKind UnknownDifficulty = new("unknown-difficulty", DatasetFiles.Players, Rules.UnknownDifficulty, AnomalyChange.Changed, "difficulty_selected", "accepted_values (difficulty_selected)");
    public static readonly AnomalyKind CountryName = new("country-name", DatasetFiles.Players, Rules.UnknownCountry, AnomalyChange.Changed, "country", "accepted_values (upper(country))");
    public static readonly AnomalyKind LanguageName = new("language-name", DatasetFiles.Players, Rules.UnknownLanguage, AnomalyChange.Changed, "language", "accepted_values (lower(language))");
    public static readonly AnomalyKind OrphanSession = new("orphan-session", DatasetFiles.Sessions, Rules.OrphanPlayer, AnomalyChange.Added, "player_id", "relationships (sessions.player_id -> players)");
    public static readonly AnomalyKind OrphanEvent = new("orphan-event", DatasetFiles.Events, Rules.OrphanPlayer, AnomalyChange.Added, "player_id", "relationships (events.player_id -> players)");
    public static readonly AnomalyKind TimestampFormat = new("timestamp-format", DatasetFiles.Events, Rules.TimestampFormat, AnomalyChange.Changed, "event_time", "not_null (try_to_timestamp(event_time))");
    public static readonly AnomalyKind SessionOrder = new("session-order", DatasetFiles.Sessions, Rules.SessionOrder, AnomalyChange.Added, "session_end", "expression_is_true (session_end > session_start)");
    public static readonly AnomalyKind FutureEvent = new("future-event", DatasetFiles.Events, Rules.OutsideWindow, AnomalyChange.Changed, "event_time", "expression_is_true (event_time <= current_timestamp)");
    public static readonly AnomalyKind LateEvent = new("late-event", DatasetFiles.Events, Rules.OutsideWindow, AnomalyChange.Added, "event_time", "an incremental model's lookback window (the event is older than the batch)");
    public static readonly AnomalyKind TruncatedProperties = new("truncated-properties", DatasetFiles.Events, Rules.PropertiesJson, AnomalyChange.Changed, "properties", "not_null (try_parse_json(properties))");
    public static readonly AnomalyKind MissingPropertyKey = new("missing-property-key", DatasetFiles.Events, Rules.PropertiesKeys, AnomalyChange.Changed, "properties", "not_null (properties:<key>)");
    public static readonly AnomalyKind WrongPropertyType = new("wrong-property-type", DatasetFiles.Events, Rules.PropertiesType, AnomalyChange.Changed, "properties", "expression_is_true (typeof(properties:<key>) = 'INTEGER')");
    public static readonly AnomalyKind TestAccount = new("test-account", DatasetFiles.Players, Rules.TestAccount, AnomalyChange.Added, "player_id", "a staging filter that drops player_id starting qa_, test_ or bot_");

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
