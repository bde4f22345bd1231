-- The RAW layer: the reference's columns, names and order, timestamps kept as the text delivered
-- (the course's staging models cast them), then lineage columns.
-- No PRIMARY KEY constraints: DuckDB's index makes deleting and re-inserting the same keys in one
-- transaction (a recreate) about 12x slower; the loader guarantees unique keys instead.
CREATE SCHEMA IF NOT EXISTS $schema$;

CREATE TABLE $schema$.RAW_PLAYERS (
    PLAYER_ID           VARCHAR NOT NULL,
    FIRST_SEEN_AT       VARCHAR,
    COUNTRY             VARCHAR,
    LANGUAGE            VARCHAR,
    DIFFICULTY_SELECTED VARCHAR,
    _BATCH_ID           INTEGER NOT NULL,
    _LOAD_ID            VARCHAR NOT NULL,
    _LOADED_AT          TIMESTAMPTZ NOT NULL
);

CREATE TABLE $schema$.RAW_SESSIONS (
    SESSION_ID    VARCHAR NOT NULL,
    PLAYER_ID     VARCHAR,
    SESSION_START VARCHAR,
    SESSION_END   VARCHAR,
    PLATFORM      VARCHAR,
    _BATCH_ID     INTEGER NOT NULL,
    _LOAD_ID      VARCHAR NOT NULL,
    _LOADED_AT    TIMESTAMPTZ NOT NULL
);

CREATE TABLE $schema$.RAW_GAME_EVENTS (
    EVENT_ID     VARCHAR NOT NULL,
    EVENT_TIME   VARCHAR,
    PLAYER_ID    VARCHAR,
    EVENT_NAME   VARCHAR,
    PLATFORM     VARCHAR,
    GAME_VERSION VARCHAR,
    PROPERTIES   JSON,
    _BATCH_ID    INTEGER NOT NULL,
    _LOAD_ID     VARCHAR NOT NULL,
    _LOADED_AT   TIMESTAMPTZ NOT NULL
);

-- One row per load: what came in, how much was new, and how it ended.
CREATE TABLE $schema$._LOADS (
    LOAD_ID            VARCHAR PRIMARY KEY,
    BATCH_ID           INTEGER NOT NULL,
    MODE               VARCHAR NOT NULL,
    FILES_SHA256       JSON NOT NULL,
    PLAYERS_INSERTED   BIGINT NOT NULL,
    PLAYERS_SKIPPED    BIGINT NOT NULL,
    SESSIONS_INSERTED  BIGINT NOT NULL,
    SESSIONS_SKIPPED   BIGINT NOT NULL,
    EVENTS_INSERTED    BIGINT NOT NULL,
    EVENTS_SKIPPED     BIGINT NOT NULL,
    STARTED_AT         TIMESTAMPTZ NOT NULL,
    FINISHED_AT        TIMESTAMPTZ NOT NULL,
    STATUS             VARCHAR NOT NULL
);
