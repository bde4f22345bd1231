using System.Text.RegularExpressions;
using GameData.Loading;
using GameData.Migrations;
using GameData.Settings;

namespace GameData.Warehouses;

/// <summary>
/// What a target holds before a reset, read from its warehouse: whether the project migrated it (its journal), and
/// whether anything else is there. A reset drops only what the migrations made, so it must know both.
/// </summary>
/// <param name="Journal">Applied scripts and their checksums; null when there is no journal table.</param>
/// <param name="ForeignJournal">Why the journal table is not gamedata's (another application's), or null.</param>
/// <param name="HoldsObjects">Whether the schema holds any table, view or function at all.</param>
/// <param name="HasEveryTable">Whether every table the project owns is there.</param>
internal sealed record TargetState(
    IReadOnlyDictionary<string, string>? Journal, string? ForeignJournal, bool HoldsObjects, bool HasEveryTable)
{
    /// <summary>At the latest migrations with every table in place: the data can be replaced without any DDL.</summary>
    public bool IsCurrent(IReadOnlyList<MigrationScript> scripts) =>
        HasEveryTable && Journal is { } journal && journal.Count == scripts.Count
        && scripts.All(s => journal.TryGetValue(s.Name, out var checksum) && checksum == s.Checksum);

    /// <summary>A journal read back: foreign when it names a script this project does not have.</summary>
    public static (IReadOnlyDictionary<string, string>? Journal, string? Foreign) ReadJournal(
        string table, IReadOnlyDictionary<string, string> applied, IReadOnlyList<MigrationScript> scripts) =>
        applied.Keys.FirstOrDefault(name => scripts.All(s => s.Name != name)) is { } unknown
            ? (null, $"{table} is not gamedata's journal (it names '{unknown}', which is not one of its migrations)")
            : (applied, null);
}

/// <summary>The rules on which targets a reset may touch at all.</summary>
internal static partial class TargetOwnership
{
    /// <summary>Schemas that others share; a reset never targets them.</summary>
    private static readonly HashSet<string> Shared =
        new(StringComparer.OrdinalIgnoreCase) { "public", "information_schema", "pg_catalog", "pg_toast" };

    /// <summary>Refuses, before anything is done, a schema others share (<c>public</c>, the catalogs).</summary>
    public static void RefuseShared(string schema, string describe)
    {
        if (Shared.Contains(schema) || PgSystem().IsMatch(schema))
            throw new SettingsException(
                $"{describe}: '{schema}' is shared with other applications and users; a reset only targets a schema of its own");
    }

    /// <summary>Refuses a target whose journal is someone else's, or that the project never migrated (unless adopted).</summary>
    public static void Check(string name, TargetState state, ResetOptions options)
    {
        if (state.ForeignJournal is { } foreign)
            throw new WarehouseException($"{foreign}; a reset never touches a schema it shares with another application");
        var migrated = state.Journal is { Count: > 0 };
        if (!migrated && state.HoldsObjects && !options.Adopt.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw new WarehouseException(
                $"{name} was never migrated by gamedata (no journal) but is not empty; " +
                $"give --adopt {name} to drop its RAW tables and reset it anyway");
    }

    /// <summary>The functions and macros the migration scripts make, by name.</summary>
    public static IReadOnlySet<string> Functions(IReadOnlyList<MigrationScript> scripts) =>
        scripts.SelectMany(s => CreatedRoutine().Matches(s.Sql)).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet();

    [GeneratedRegex(@"CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|AGGREGATE|MACRO)\s+(?:\w+\.)?(\w+)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex CreatedRoutine();

    [GeneratedRegex("^pg_", RegexOptions.IgnoreCase)]
    private static partial Regex PgSystem();
}
