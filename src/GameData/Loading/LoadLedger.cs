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

    public static string InsertSql(string schema, LoadPlan plan, LoadCounts counts, string status, DateTimeOffset finishedAt)
    {
        var files = JsonSerializer.Serialize(plan.Manifest.Files.ToDictionary(f => f.Key, f => f.Value.Sha256));
        var values = string.Join(", ",
            Text(plan.LoadId), plan.Batch.ToString(CultureInfo.InvariantCulture), Text(plan.Mode.ToString().ToLowerInvariant()), Text(files),
            Number(counts.Players.Inserted), Number(counts.Players.Skipped),
            Number(counts.Sessions.Inserted), Number(counts.Sessions.Skipped),
            Number(counts.Events.Inserted), Number(counts.Events.Skipped),
            Timestamp(plan.StartedAt), Timestamp(finishedAt), Text(status));
        return $"INSERT INTO {schema}.{RawSchema.Ledger} (LOAD_ID, BATCH_ID, MODE, FILES_SHA256, PLAYERS_INSERTED, PLAYERS_SKIPPED, " +
               $"SESSIONS_INSERTED, SESSIONS_SKIPPED, EVENTS_INSERTED, EVENTS_SKIPPED, STARTED_AT, FINISHED_AT, STATUS) VALUES ({values})";
    }

    /// <summary>The highest batch loaded successfully and the latest event time loaded.</summary>
    public static string StateSql(string schema) =>
        $"SELECT (SELECT count(*) FROM {schema}.RAW_PLAYERS), (SELECT count(*) FROM {schema}.RAW_SESSIONS), " +
        $"(SELECT count(*) FROM {schema}.RAW_GAME_EVENTS), " +
        $"(SELECT max(BATCH_ID) FROM {schema}.{RawSchema.Ledger} WHERE STATUS = '{Succeeded}'), " +
        $"(SELECT max(EVENT_TIME) FROM {schema}.RAW_GAME_EVENTS)";

    private static string Text(string value) => "'" + value.Replace("'", "''") + "'";
    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Timestamp(DateTimeOffset value) => $"'{value.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'";
}
