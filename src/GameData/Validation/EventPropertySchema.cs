using System.Text;
using System.Text.Json;

namespace GameData.Validation;

public enum PropertyType { Integer, Number, String, Boolean, StringList }

/// <summary>
/// The keys each event's <c>properties</c> object holds and their JSON types (GENERATOR.md section 5),
/// and the check of one properties value against them.
/// </summary>
public sealed class EventPropertySchema
{
    private static readonly (string Event, (string Key, PropertyType Type)[] Keys)[] Table =
    [
        ("game_started", [("load_time_ms", PropertyType.Integer), ("resolution", PropertyType.String), ("fps_target", PropertyType.Integer),
            ("audio_quality", PropertyType.String)]),
        ("chapter_started", [("chapter_id", PropertyType.Integer), ("chapter_name", PropertyType.String), ("location", PropertyType.String),
            ("weather", PropertyType.String), ("time_of_day", PropertyType.String)]),
        ("checkpoint_reached", [("chapter_id", PropertyType.Integer), ("checkpoint_id", PropertyType.Integer),
            ("time_since_chapter_start_seconds", PropertyType.Integer), ("health_percentage", PropertyType.Integer),
            ("ammo_count", PropertyType.Integer), ("inventory_items", PropertyType.Integer)]),
        ("enemy_killed", [("chapter_id", PropertyType.Integer), ("enemy_type", PropertyType.String), ("enemy_name", PropertyType.String),
            ("weapon_type", PropertyType.String), ("weapon_name", PropertyType.String), ("damage_dealt", PropertyType.Integer),
            ("headshot", PropertyType.Boolean), ("distance_meters", PropertyType.Integer), ("xp_gained", PropertyType.Integer),
            ("stealth_kill", PropertyType.Boolean)]),
        ("player_died", [("chapter_id", PropertyType.Integer), ("death_reason", PropertyType.String),
            ("health_at_death", PropertyType.Integer), ("time_survived_seconds", PropertyType.Integer),
            ("last_enemy_type", PropertyType.String), ("location", PropertyType.String), ("death_count_in_chapter", PropertyType.Integer)]),
        ("item_crafted", [("chapter_id", PropertyType.Integer), ("item_type", PropertyType.String),
            ("materials_used", PropertyType.StringList), ("crafting_time_seconds", PropertyType.Integer), ("success", PropertyType.Boolean),
            ("workbench_used", PropertyType.Boolean)]),
        ("chapter_completed", [("chapter_id", PropertyType.Integer), ("completion_time_seconds", PropertyType.Integer),
            ("score", PropertyType.Integer), ("collectibles_found", PropertyType.Integer), ("deaths_count", PropertyType.Integer),
            ("enemies_killed", PropertyType.Integer), ("accuracy_percentage", PropertyType.Number)]),
        ("game_closed", [("session_duration_seconds", PropertyType.Integer), ("reason", PropertyType.String),
            ("total_deaths", PropertyType.Integer), ("total_enemies_killed", PropertyType.Integer),
            ("chapters_completed", PropertyType.Integer), ("achievements_unlocked", PropertyType.Integer),
            ("final_score", PropertyType.Integer)]),
    ];

    public static readonly IReadOnlyList<EventPropertySchema> All =
        Table.Select(e => new EventPropertySchema(e.Event, e.Keys)).ToArray();

    private readonly byte[][] _keys;
    private readonly PropertyType[] _types;

    private EventPropertySchema(string eventName, (string Key, PropertyType Type)[] keys)
    {
        EventName = eventName;
        EventNameUtf8 = Encoding.UTF8.GetBytes(eventName);
        _keys = keys.Select(k => Encoding.UTF8.GetBytes(k.Key)).ToArray();
        _types = keys.Select(k => k.Type).ToArray();
        KeyNames = keys.Select(k => k.Key).ToArray();
        IntegerKeys = keys.Where(k => k.Type == PropertyType.Integer).Select(k => k.Key).ToArray();
    }

    public string EventName { get; }
    public byte[] EventNameUtf8 { get; }
    public string[] KeyNames { get; }

    /// <summary>The keys whose values are integers (every event has at least one).</summary>
    public string[] IntegerKeys { get; }

    public static EventPropertySchema? For(ReadOnlySpan<byte> eventName)
    {
        foreach (var schema in All)
            if (eventName.SequenceEqual(schema.EventNameUtf8)) return schema;
        return null;
    }

    /// <summary>Checks a properties value; returns the broken rule and a detail, or null when it conforms.</summary>
    public (Rule Rule, string Detail)? Check(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read()) return (Rules.PropertiesJson, "empty");
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var kind = reader.TokenType;
                reader.Skip();
                if (reader.Read()) return (Rules.PropertiesJson, "text after the JSON value");
                return (Rules.PropertiesNotObject, $"a JSON {Describe(kind)}, not an object");
            }

            var seen = 0u;
            (Rule, string)? problem = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = KeyIndex(ref reader);
                // The name is only turned into a string when something is wrong: this loop runs for every event.
                var name = index < 0 || (seen & (1u << index)) != 0 ? reader.GetString() : null;
                reader.Read();
                if (index < 0) problem ??= (Rules.PropertiesKeys, $"unexpected key '{name}' for {EventName}");
                else if (name is not null) problem ??= (Rules.PropertiesKeys, $"key '{name}' appears twice");
                else
                {
                    seen |= 1u << index;
                    if (!HasType(ref reader, _types[index]))
                        problem ??= (Rules.PropertiesType,
                            $"'{KeyNames[index]}' should be {Describe(_types[index])}, found {Describe(reader.TokenType)}");
                }
                reader.Skip();
            }
            if (reader.Read()) return (Rules.PropertiesJson, "text after the JSON object");
            if (problem is not null) return problem;
            for (var i = 0; i < _keys.Length; i++)
                if ((seen & (1u << i)) == 0) return (Rules.PropertiesKeys, $"missing key '{KeyNames[i]}' for {EventName}");
            return null;
        }
        catch (JsonException e)
        {
            return (Rules.PropertiesJson, e.Message.Split(" LineNumber")[0]);
        }
    }

    private int KeyIndex(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _keys.Length; i++)
            if (reader.ValueTextEquals(_keys[i])) return i;
        return -1;
    }

    private static bool HasType(ref Utf8JsonReader reader, PropertyType type) => type switch
    {
        PropertyType.Integer => reader.TokenType == JsonTokenType.Number && reader.ValueSpan.IndexOfAny(".eE"u8) < 0,
        PropertyType.Number => reader.TokenType == JsonTokenType.Number,
        PropertyType.String => reader.TokenType == JsonTokenType.String,
        PropertyType.Boolean => reader.TokenType is JsonTokenType.True or JsonTokenType.False,
        PropertyType.StringList => IsStringList(reader),
        _ => false,
    };

    private static bool IsStringList(Utf8JsonReader reader) // a copy: the caller skips the array itself
    {
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            if (reader.TokenType != JsonTokenType.String) return false;
        return true;
    }

    private static string Describe(PropertyType type) => type switch
    {
        PropertyType.Integer => "an integer",
        PropertyType.Number => "a number",
        PropertyType.String => "a string",
        PropertyType.Boolean => "true or false",
        _ => "a list of strings",
    };

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString().ToLowerInvariant(),
    };
}
