-- The RAW layer: the reference's columns, names and order, timestamps kept as the text delivered
-- (the course's staging models cast them), PROPERTIES as VARIANT, then lineage columns.
-- Snowflake commits DDL at once and the SQL API cannot hold a transaction across requests,
-- so every statement can be run again safely.
CREATE SCHEMA IF NOT EXISTS $schema$;

CREATE TABLE IF NOT EXISTS $schema$.RAW_PLAYERS (
    PLAYER_ID           VARCHAR NOT NULL,
    FIRST_SEEN_AT       VARCHAR,
    COUNTRY             VARCHAR,
    LANGUAGE            VARCHAR,
    DIFFICULTY_SELECTED VARCHAR,
    _BATCH_ID           INTEGER NOT NULL,
    _LOAD_ID            VARCHAR NOT NULL,
    _LOADED_AT          TIMESTAMP_TZ NOT NULL,
    PRIMARY KEY (PLAYER_ID)
);

CREATE TABLE IF NOT EXISTS $schema$.RAW_SESSIONS (
    SESSION_ID    VARCHAR NOT NULL,
    PLAYER_ID     VARCHAR,
    SESSION_START VARCHAR,
    SESSION_END   VARCHAR,
    PLATFORM      VARCHAR,
    _BATCH_ID     INTEGER NOT NULL,
    _LOAD_ID      VARCHAR NOT NULL,
    _LOADED_AT    TIMESTAMP_TZ NOT NULL,
    PRIMARY KEY (SESSION_ID)
);

CREATE TABLE IF NOT EXISTS $schema$.RAW_GAME_EVENTS (
    EVENT_ID     VARCHAR NOT NULL,
    EVENT_TIME   VARCHAR,
    PLAYER_ID    VARCHAR,
    EVENT_NAME   VARCHAR,
    PLATFORM     VARCHAR,
    GAME_VERSION VARCHAR,
    PROPERTIES   VARIANT,
    _BATCH_ID    INTEGER NOT NULL,
    _LOAD_ID     VARCHAR NOT NULL,
    _LOADED_AT   TIMESTAMP_TZ NOT NULL,
    PRIMARY KEY (EVENT_ID)
);

-- One row per load: what came in, how much was new, and how it ended.
CREATE TABLE IF NOT EXISTS $schema$._LOADS (
    LOAD_ID            VARCHAR NOT NULL PRIMARY KEY,
    BATCH_ID           INTEGER NOT NULL,
    MODE               VARCHAR NOT NULL,
    FILES_SHA256       VARIANT NOT NULL,
    PLAYERS_INSERTED   NUMBER NOT NULL,
    PLAYERS_SKIPPED    NUMBER NOT NULL,
    SESSIONS_INSERTED  NUMBER NOT NULL,
    SESSIONS_SKIPPED   NUMBER NOT NULL,
    EVENTS_INSERTED    NUMBER NOT NULL,
    EVENTS_SKIPPED     NUMBER NOT NULL,
    STARTED_AT         TIMESTAMP_TZ NOT NULL,
    FINISHED_AT        TIMESTAMP_TZ NOT NULL,
    STATUS             VARCHAR NOT NULL
);
