using System.Globalization;
using System.Text.Json;

namespace GameData.Loading;

/// <summary>
/// The <c>_LOADS</c> ledger: one row per load. The SQL is the same for every warehouse; the values are
/// written as literals (IDs, numbers, hex digests and timestamps: nothing a user types).
/// </summary>
public static class LoadLedger
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>The ledger's columns, in the order every insert gives them.</summary>
    public const string Columns = "LOAD_ID, BATCH_ID, MODE, FILES_SHA256, PLAYERS_INSERTED, PLAYERS_SKIPPED, " +
                                  "SESSIONS_INSERTED, SESSIONS_SKIPPED, EVENTS_INSERTED, EVENTS_SKIPPED, STARTED_AT, FINISHED_AT, STATUS";

    /// <summary>Each file's SHA-256, as the JSON object the ledger keeps.</summary>
    public static string FilesJson(LoadPlan plan) => JsonSerializer.Serialize(plan.Files.ToDictionary(f => f.Key, f => f.Value.Sha256),
        GameData.Settings.SettingsJson.Default.DictionaryStringString);

    public static string InsertSql(string schema, LoadPlan plan, LoadCounts counts, string status, DateTimeOffset finishedAt)
    {
        var values = string.Join(", ",
            Text(plan.LoadId), plan.Batch.ToString(CultureInfo.InvariantCulture), Text(plan.Mode.ToString().ToLowerInvariant()),
            Text(FilesJson(plan)),
            Number(counts.Players.Inserted), Number(counts.Players.Skipped),
            Number(counts.Sessions.Inserted), Number(counts.Sessions.Skipped),
            Number(counts.Events.Inserted), Number(counts.Events.Skipped),
            Timestamp(plan.StartedAt), Timestamp(finishedAt), Text(status));
        return $"INSERT INTO {schema}.{RawSchema.Ledger} ({Columns}) VALUES ({values})";
    }

    /// <summary>
    /// How many of the three RAW tables and the ledger exist (4 once migrated). Case-insensitive: Snowflake
    /// stores unquoted names in upper case, DuckDB and PostgreSQL as written.
    /// </summary>
    public static string TablesSql(string schema) =>
        $"SELECT count(*) FROM information_schema.tables WHERE upper(table_schema) = upper('{schema}') " +
        $"AND upper(table_name) IN ({string.Join(", ", RawSchema.Tables.Select(t => $"'{t.Name}'"))}, '{RawSchema.Ledger}')";

    public const int MigratedTables = 4;

    /// <summary>The answer to <see cref="StateSql"/>, whatever types the warehouse returned it in.</summary>
    public static RawState StateFrom(IReadOnlyList<object?> row) => new(
        Convert.ToInt64(row[0], CultureInfo.InvariantCulture), Convert.ToInt64(row[1], CultureInfo.InvariantCulture),
        Convert.ToInt64(row[2], CultureInfo.InvariantCulture),
        row[3] is null or DBNull ? null : Convert.ToInt32(row[3], CultureInfo.InvariantCulture),
        row[4] is null or DBNull ? null : Convert.ToString(row[4], CultureInfo.InvariantCulture),
        row[5] is null or DBNull ? null : JsonSerializer.Deserialize(Convert.ToString(row[5], CultureInfo.InvariantCulture)!,
            GameData.Settings.SettingsJson.Default.DictionaryStringString));

    /// <summary>
    /// Rows per table, the highest batch present and the latest event time present: what RAW holds, not the
    /// ledger's history (after a recreate the next batch is 2 again); and the files of the latest successful load.
    /// </summary>
    public static string StateSql(string schema) =>
        $"SELECT (SELECT count(*) FROM {schema}.RAW_PLAYERS), (SELECT count(*) FROM {schema}.RAW_SESSIONS), " +
        $"(SELECT count(*) FROM {schema}.RAW_GAME_EVENTS), " +
        $"(SELECT max(b) FROM (SELECT max(_BATCH_ID) AS b FROM {schema}.RAW_PLAYERS " +
        $"UNION ALL SELECT max(_BATCH_ID) FROM {schema}.RAW_SESSIONS " +
        $"UNION ALL SELECT max(_BATCH_ID) FROM {schema}.RAW_GAME_EVENTS) AS batches), " +
        $"(SELECT max(EVENT_TIME) FROM {schema}.RAW_GAME_EVENTS), " +
        $"(SELECT CAST(FILES_SHA256 AS VARCHAR) FROM {schema}.{RawSchema.Ledger} WHERE STATUS = '{Succeeded}' " +
        $"ORDER BY FINISHED_AT DESC LIMIT 1)";

    private static string Text(string value) => "'" + value.Replace("'", "''") + "'";
    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Timestamp(DateTimeOffset value) => $"'{value.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'";
}
