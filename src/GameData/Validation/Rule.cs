using GameData.Generation;

namespace GameData.Validation;

public enum Severity { Error, Warning }

/// <summary>One thing the validator checks. Warnings count as errors under <c>--strict</c>.</summary>
public sealed record Rule(string Id, Severity Severity, string Description);

/// <summary>Every rule, in the order the summary lists them.</summary>
public static class Rules
{
    public static readonly Rule FileMissing = new("file-missing", Severity.Error, "a required file is absent");
    public static readonly Rule FileEmpty = new("file-empty", Severity.Error, "the file is empty (not even a header)");
    public static readonly Rule Header = new("header", Severity.Error, "the header is not exactly the expected one");
    public static readonly Rule HeaderOnly = new("header-only", Severity.Error, "the file has a header but no rows");
    public static readonly Rule Truncated = new("truncated", Severity.Error,
        "the last line has no line break: the file may have been cut short");
    public static readonly Rule FieldCount = new("field-count", Severity.Error, "a row has the wrong number of fields");
    public static readonly Rule Quoting = new("quoting", Severity.Error,
        "a field's quotes are malformed (stray, unclosed, or text after the closing quote)");
    public static readonly Rule InvalidUtf8 = new("invalid-utf8", Severity.Error, "a row holds bytes that are not valid UTF-8");
    public static readonly Rule NulByte = new("nul-byte", Severity.Error, "a row holds a NUL byte");
    public static readonly Rule IdPattern = new("id-pattern", Severity.Error,
        "an ID does not follow the batch's pattern (player_1, player_2_1, ...)");
    public static readonly Rule TestAccount = new("test-account", Severity.Error,
        "a player_id names a test account (qa_, test_ or bot_), not a real player");
    public static readonly Rule DuplicateKey = new("duplicate-key", Severity.Error, "a primary key appears more than once");
    public static readonly Rule OrphanPlayer = new("orphan-player", Severity.Error,
        "a session's or event's player_id is not in the players file");
    public static readonly Rule TimestampFormat = new("timestamp-format", Severity.Error,
        "a timestamp is not a real time written YYYY-MM-DD HH:MM:SS");
    public static readonly Rule OutsideWindow = new("outside-window", Severity.Error, "a time falls outside the event window");
    public static readonly Rule SessionOrder = new("session-order", Severity.Error, "a session does not start before it ends");
    public static readonly Rule MissingValue = new("missing-value", Severity.Error,
        "a value the course needs (country, language, difficulty, platform, properties) is empty");
    public static readonly Rule UnknownDifficulty = new("unknown-difficulty", Severity.Error,
        $"difficulty_selected is not {GameCatalog.OneOf(GameCatalog.Difficulties)}");
    public static readonly Rule UnknownPlatform = new("unknown-platform", Severity.Error,
        $"platform is not {GameCatalog.OneOf(GameCatalog.Platforms)}");
    public static readonly Rule UnknownEventName = new("unknown-event-name", Severity.Error,
        "event_name is not one of the generator's events");
    public static readonly Rule UnknownCountry = new("unknown-country", Severity.Error,
        "country is not one of the course's countries (any letter case)");
    public static readonly Rule UnknownLanguage = new("unknown-language", Severity.Error,
        "language is not one of the course's languages (any letter case)");
    public static readonly Rule PropertiesJson = new("properties-json", Severity.Error, "properties is not valid JSON");
    public static readonly Rule PropertiesNotObject = new("properties-not-object", Severity.Error, "properties is JSON but not an object");
    public static readonly Rule PropertiesKeys = new("properties-keys", Severity.Error,
        "properties does not hold exactly its event's keys");
    public static readonly Rule PropertiesType = new("properties-type", Severity.Error, "a property has the wrong JSON type");
    public static readonly Rule ManifestInvalid = new("manifest-invalid", Severity.Error, "manifest.json cannot be read");
    public static readonly Rule ManifestSha256 = new("manifest-sha256", Severity.Error,
        "a file's SHA-256 differs from the manifest: it changed after generation");
    public static readonly Rule ManifestRows = new("manifest-rows", Severity.Error, "a file's row count differs from the manifest");
    public static readonly Rule DeclaredDefectMissing = new("declared-defect-missing", Severity.Error,
        "anomalies.json declares a defect the files do not hold");
    public static readonly Rule EventOutsideSession = new("event-outside-session", Severity.Warning,
        "an event's time falls in none of its player's sessions");
    public static readonly Rule PlatformMismatch = new("platform-mismatch", Severity.Warning,
        "an event's platform differs from its session's");
    public static readonly Rule CrlfLineEnds = new("crlf", Severity.Warning,
        "lines end with CRLF (readable, but no longer byte-identical to the reference)");
    public static readonly Rule ByteOrderMark = new("bom", Severity.Warning,
        "the file starts with a UTF-8 byte order mark (readable, but not byte-identical)");

    public static readonly IReadOnlyList<Rule> All =
    [
        FileMissing, FileEmpty, Header, HeaderOnly, Truncated, FieldCount, Quoting, InvalidUtf8, NulByte,
        IdPattern, TestAccount, DuplicateKey, OrphanPlayer, TimestampFormat, OutsideWindow, SessionOrder,
        MissingValue, UnknownDifficulty, UnknownPlatform, UnknownEventName, UnknownCountry, UnknownLanguage,
        PropertiesJson, PropertiesNotObject, PropertiesKeys, PropertiesType,
        ManifestInvalid, ManifestSha256, ManifestRows, DeclaredDefectMissing,
        EventOutsideSession, PlatformMismatch, CrlfLineEnds, ByteOrderMark,
    ];
}
