-- The RAW layer: the reference's columns, names and order, timestamps kept as the text delivered
-- (the course's staging models cast them), then lineage columns.
-- The lineage columns default to settings the loader sets for its transaction (SET LOCAL), so that
-- COPY can fill the RAW tables directly.
CREATE SCHEMA IF NOT EXISTS $schema$;

CREATE TABLE $schema$.RAW_PLAYERS (
    PLAYER_ID           TEXT PRIMARY KEY,
    FIRST_SEEN_AT       TEXT,
    COUNTRY             TEXT,
    LANGUAGE            TEXT,
    DIFFICULTY_SELECTED TEXT,
    _BATCH_ID           INTEGER NOT NULL DEFAULT current_setting('gamedata.batch_id')::integer,
    _LOAD_ID            TEXT NOT NULL DEFAULT current_setting('gamedata.load_id'),
    _LOADED_AT          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE $schema$.RAW_SESSIONS (
    SESSION_ID    TEXT PRIMARY KEY,
    PLAYER_ID     TEXT,
    SESSION_START TEXT,
    SESSION_END   TEXT,
    PLATFORM      TEXT,
    _BATCH_ID     INTEGER NOT NULL DEFAULT current_setting('gamedata.batch_id')::integer,
    _LOAD_ID      TEXT NOT NULL DEFAULT current_setting('gamedata.load_id'),
    _LOADED_AT    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE $schema$.RAW_GAME_EVENTS (
    EVENT_ID     TEXT PRIMARY KEY,
    EVENT_TIME   TEXT,
    PLAYER_ID    TEXT,
    EVENT_NAME   TEXT,
    PLATFORM     TEXT,
    GAME_VERSION TEXT,
    PROPERTIES   JSONB,
    _BATCH_ID    INTEGER NOT NULL DEFAULT current_setting('gamedata.batch_id')::integer,
    _LOAD_ID     TEXT NOT NULL DEFAULT current_setting('gamedata.load_id'),
    _LOADED_AT   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per load: what came in, how much was new, and how it ended.
CREATE TABLE $schema$._LOADS (
    LOAD_ID            TEXT PRIMARY KEY,
    BATCH_ID           INTEGER NOT NULL,
    MODE               TEXT NOT NULL,
    FILES_SHA256       JSONB NOT NULL,
    PLAYERS_INSERTED   BIGINT NOT NULL,
    PLAYERS_SKIPPED    BIGINT NOT NULL,
    SESSIONS_INSERTED  BIGINT NOT NULL,
    SESSIONS_SKIPPED   BIGINT NOT NULL,
    EVENTS_INSERTED    BIGINT NOT NULL,
    EVENTS_SKIPPED     BIGINT NOT NULL,
    STARTED_AT         TIMESTAMPTZ NOT NULL,
    FINISHED_AT        TIMESTAMPTZ NOT NULL,
    STATUS             TEXT NOT NULL
);
