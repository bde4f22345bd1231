-- The RAW layer keeps what the files hold, duplicates included (a dataset made with --anomalies has an event
-- sent twice and a player registered twice): cleaning is the staging models' job. So the RAW tables' keys
-- are indexed for lookups (append skips keys already loaded) but no longer unique.
ALTER TABLE $schema$.RAW_PLAYERS DROP CONSTRAINT IF EXISTS raw_players_pkey;
ALTER TABLE $schema$.RAW_SESSIONS DROP CONSTRAINT IF EXISTS raw_sessions_pkey;
ALTER TABLE $schema$.RAW_GAME_EVENTS DROP CONSTRAINT IF EXISTS raw_game_events_pkey;

CREATE INDEX IF NOT EXISTS raw_players_player_id ON $schema$.RAW_PLAYERS (PLAYER_ID);
CREATE INDEX IF NOT EXISTS raw_sessions_session_id ON $schema$.RAW_SESSIONS (SESSION_ID);
CREATE INDEX IF NOT EXISTS raw_game_events_event_id ON $schema$.RAW_GAME_EVENTS (EVENT_ID);
