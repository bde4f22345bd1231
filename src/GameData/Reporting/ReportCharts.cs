using System.Globalization;
using GameData.Generation;

namespace GameData.Reporting;

/// <summary>Turns the query results into the report's charts, in reading order.</summary>
public static class ReportCharts
{
    /// <summary>Every chart's id, in order.</summary>
    public static readonly IReadOnlyList<string> Ids =
    [
        "players-by-country", "players-by-language", "players-by-difficulty", "sessions-per-player", "session-length", "daily-activity",
        "platform-split", "event-mix", "chapter-funnel", "deaths-by-chapter", "rage-quits",
    ];

    public static IReadOnlyList<Chart> From(IReadOnlyDictionary<string, QueryResult> r)
    {
        var chapters = Enumerable.Range(1, 10).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        double[] ByChapter(QueryResult result, int valueColumn, Func<object?[], bool>? where = null) =>
            chapters.Select(c => result.Rows
                .Where(row => Convert.ToString(row[0], CultureInfo.InvariantCulture) == c && (where?.Invoke(row) ?? true))
                .Sum(row => Convert.ToDouble(row[valueColumn], CultureInfo.InvariantCulture))).ToArray();

        var deaths = r["deaths_by_chapter_and_difficulty"];
        var daily = r["daily_activity"];
        return
        [
            Simple("players-by-country", "Players by country", "Country codes in lower case (the raw data mixes us, US and Us).",
                "country", "players", r["players_by_country"]),
            Simple("players-by-language", "Players by language", "Language codes in lower case.", "language", "players",
                r["players_by_language"]),
            Simple("players-by-difficulty", "Players by difficulty", "The difficulty each player selected.", "difficulty", "players",
                r["players_by_difficulty"]),
            Simple("sessions-per-player", "Sessions per player", "How many players had 1, 2, 3... sessions in the window.",
                "sessions", "players", r["sessions_per_player"]),
            new Chart("session-length", "Session length", "Sessions by length, in bins of 15 minutes (the last bin: 180 minutes and more).",
                "minutes", "sessions", r["session_length"].Text(0)
                    .Select(m => m == "180" ? "180+" : $"{m}–{int.Parse(m, CultureInfo.InvariantCulture) + 15}").ToArray(),
                [new ChartSeries("sessions", r["session_length"].Numbers(1))]),
            new Chart("daily-activity", "Daily active players and sessions per day",
                "Players with at least one session starting that day, and the sessions started.",
                "day", "count", daily.Rows.Select(row => ((DateOnly)row[0]!).ToString("MM-dd", CultureInfo.InvariantCulture)).ToArray(),
                [new ChartSeries("active players", daily.Numbers(1)), new ChartSeries("sessions", daily.Numbers(2))], ChartKind.Lines),
            Simple("platform-split", "Platform split", "Sessions by platform.", "platform", "sessions", r["platform_split"]),
            Simple("event-mix", "Event mix", "Events by event_name.", "event", "events", r["event_mix"]),
            new Chart("chapter-funnel", "Chapter funnel", "Chapters started and completed, chapter by chapter.", "chapter", "events",
                chapters, [new ChartSeries("started", ByChapter(r["chapter_funnel"], 1)),
                    new ChartSeries("completed", ByChapter(r["chapter_funnel"], 2))]),
            new Chart("deaths-by-chapter", "Deaths per chapter by difficulty",
                "player_died events per chapter, by the player's selected difficulty.", "chapter", "deaths", chapters,
                GameCatalog.Difficulties.Select(d => new ChartSeries(d, ByChapter(deaths, 2, row => (string?)row[1] == d))).ToArray()),
            new Chart("rage-quits", "Rage quits",
                "Sessions closed right after a death (the next event after player_died is game_closed), by chapter.",
                "chapter", "sessions", chapters, [new ChartSeries("rage quits", ByChapter(r["rage_quits"], 1))]),
        ];
    }

    private static Chart Simple(string id, string title, string description, string x, string y, QueryResult result) =>
        new(id, title, description, x, y, result.Text(0), [new ChartSeries(y, result.Numbers(1))]);
}
