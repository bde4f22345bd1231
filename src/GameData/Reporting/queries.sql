-- The report's figures, in DuckDB SQL over the raw CSV files: the same queries a student would write.
-- gamedata report runs them (src/GameData/Reporting/ReportQueries.cs); notebooks/explore.cs runs them
-- too. Each query starts with "-- name: <name>"; {players_csv}, {sessions_csv} and {events_csv} stand
-- for read_csv(...) of the three files; {countries}, {languages}, {difficulties} and {platforms} for the
-- game's values ('ps3', 'xbox360', 'pc'). Queries named quality_* run only for datasets with declared defects
-- (--anomalies) or files without a manifest: the generator's own clean output needs no profile.
-- CASTs are TRY_CASTs: a dataset with declared defects holds text that is not a time or a number.

-- name: load_players
CREATE TABLE players AS
SELECT player_id, first_seen_at, lower(country) AS country, lower(language) AS language, difficulty_selected AS difficulty
FROM {players_csv};

-- name: load_sessions
CREATE TABLE sessions AS
SELECT session_id, player_id, TRY_CAST(session_start AS TIMESTAMP) AS session_start, TRY_CAST(session_end AS TIMESTAMP) AS session_end, platform
FROM {sessions_csv};

-- name: load_events
-- One pass over the events file, keeping only what the figures need. chapter_id is the first property
-- of the chapter events, so it is read by position; n is the event's number, for ordering.
CREATE TABLE events AS
SELECT event_name,
       CASE WHEN event_name IN ('chapter_started', 'chapter_completed', 'player_died')
            THEN TRY_CAST(split_part(substr(properties, 16, 4), ',', 1) AS TINYINT) END AS chapter,
       CASE WHEN event_name IN ('player_died', 'item_crafted', 'chapter_completed', 'game_closed')
            THEN TRY_CAST(split_part(event_id, '_', -1) AS BIGINT) END AS n,
       CASE WHEN event_name = 'player_died' THEN player_id END AS died_player
FROM {events_csv};

-- name: row_counts
SELECT (SELECT count(*) FROM players) AS players, (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM events) AS events;

-- name: players_by_country
SELECT country, count(*) AS players FROM players GROUP BY country ORDER BY players DESC, country;

-- name: players_by_language
SELECT language, count(*) AS players FROM players GROUP BY language ORDER BY players DESC, language;

-- name: players_by_difficulty
SELECT difficulty, count(*) AS players FROM players GROUP BY difficulty
ORDER BY list_position([{difficulties}], difficulty);

-- name: sessions_per_player
SELECT sessions, count(*) AS players
FROM (SELECT p.player_id, count(s.session_id) AS sessions FROM players p LEFT JOIN sessions s USING (player_id) GROUP BY p.player_id)
GROUP BY sessions ORDER BY sessions;

-- name: session_length
-- Minutes, in bins of 15 (the last one open).
SELECT least(floor(date_diff('second', session_start, session_end) / 60 / 15) * 15, 180)::INTEGER AS minutes_from, count(*) AS sessions
FROM sessions GROUP BY minutes_from ORDER BY minutes_from;

-- name: daily_activity
SELECT CAST(session_start AS DATE) AS day, count(DISTINCT player_id) AS active_players, count(*) AS sessions
FROM sessions GROUP BY day ORDER BY day;

-- name: platform_split
SELECT platform, count(*) AS sessions FROM sessions GROUP BY platform
ORDER BY list_position([{platforms}], platform);

-- name: event_mix
SELECT event_name, count(*) AS events FROM events GROUP BY event_name ORDER BY events DESC, event_name;

-- name: chapter_funnel
SELECT chapter, count(*) FILTER (event_name = 'chapter_started') AS started, count(*) FILTER (event_name = 'chapter_completed') AS completed
FROM events WHERE event_name IN ('chapter_started', 'chapter_completed') GROUP BY chapter ORDER BY chapter;

-- name: deaths_by_chapter_and_difficulty
SELECT e.chapter, p.difficulty, count(*) AS deaths
FROM events e JOIN players p ON p.player_id = e.died_player
WHERE e.event_name = 'player_died' GROUP BY e.chapter, p.difficulty ORDER BY e.chapter, p.difficulty;

-- name: rage_quits
-- A session closed right after a death: the next event after player_died is game_closed.
SELECT chapter, count(*) AS rage_quits
FROM (SELECT event_name, chapter, lead(event_name) OVER (ORDER BY n) AS next_event FROM events WHERE n IS NOT NULL)
WHERE event_name = 'player_died' AND next_event = 'game_closed'
GROUP BY chapter ORDER BY chapter;

-- name: quality_profile
-- What a staging model's tests would find, file by file: the report's "Data quality" table.
WITH e AS (
    SELECT count(*) - count(DISTINCT event_id) AS duplicate_ids,
           count(*) FILTER (platform IS NULL OR properties IS NULL) AS empty_values,
           count(*) FILTER (platform NOT IN ({platforms})) AS other_platforms,
           count(*) FILTER (event_name NOT IN ('game_started', 'chapter_started', 'checkpoint_reached', 'enemy_killed',
                                               'player_died', 'item_crafted', 'chapter_completed', 'game_closed')) AS other_names,
           count(*) FILTER (try_strptime(event_time, '%Y-%m-%d %H:%M:%S') IS NULL) AS bad_times,
           count(*) FILTER (try_strptime(event_time, '%Y-%m-%d %H:%M:%S') > now()) AS future_times,
           count(*) FILTER (properties IS NOT NULL AND NOT json_valid(properties)) AS bad_json,
           count(*) FILTER (NOT regexp_matches(player_id, '^(qa|test|bot)_', 'i') AND player_id NOT IN (SELECT player_id FROM players)) AS orphans,
           count(*) FILTER (regexp_matches(player_id, '^(qa|test|bot)_', 'i')) AS test_rows
    FROM {events_csv})
SELECT file, finding, rows FROM (
    SELECT 1 AS ord, 'raw_players.csv' AS file, 'player_id repeated' AS finding, count(*) - count(DISTINCT player_id) AS rows FROM players
    UNION ALL SELECT 2, 'raw_players.csv', 'country or language empty', count(*) FILTER (country IS NULL OR language IS NULL) FROM players
    UNION ALL SELECT 3, 'raw_players.csv', 'country, language or difficulty outside the accepted values (any case)',
        count(*) FILTER (country NOT IN ({countries}) OR language NOT IN ({languages})
                         OR difficulty NOT IN ({difficulties})) FROM players
    UNION ALL SELECT 4, 'raw_players.csv', 'test accounts (qa_, test_, bot_)', count(*) FILTER (regexp_matches(player_id, '^(qa|test|bot)_', 'i')) FROM players
    UNION ALL SELECT 5, 'raw_sessions.csv', 'player_id not in the players file',
        count(*) FILTER (NOT regexp_matches(player_id, '^(qa|test|bot)_', 'i') AND player_id NOT IN (SELECT player_id FROM players)) FROM sessions
    UNION ALL SELECT 6, 'raw_sessions.csv', 'session ends before it starts', count(*) FILTER (session_end < session_start) FROM sessions
    UNION ALL SELECT 7, 'raw_game_events.csv', 'event_id repeated', duplicate_ids FROM e
    UNION ALL SELECT 8, 'raw_game_events.csv', 'platform or properties empty', empty_values FROM e
    UNION ALL SELECT 9, 'raw_game_events.csv', 'platform outside ' || array_to_string([{platforms}], ', '), other_platforms FROM e
    UNION ALL SELECT 10, 'raw_game_events.csv', 'event_name not one of the game''s events', other_names FROM e
    UNION ALL SELECT 11, 'raw_game_events.csv', 'event_time not YYYY-MM-DD HH:MM:SS', bad_times FROM e
    UNION ALL SELECT 12, 'raw_game_events.csv', 'event_time in the future', future_times FROM e
    UNION ALL SELECT 13, 'raw_game_events.csv', 'properties not valid JSON', bad_json FROM e
    UNION ALL SELECT 14, 'raw_game_events.csv', 'player_id not in the players file', orphans FROM e
    UNION ALL SELECT 15, 'raw_game_events.csv', 'events of test accounts', test_rows FROM e)
ORDER BY ord;
