-- The lock a load or a reset holds while it runs: the SQL API has no advisory lock, so one row of this table
-- is taken with a single UPDATE (atomic), checked again inside the load's final transaction, and released
-- there. A holder that died leaves it until EXPIRES. Re-runnable, as every Snowflake script is.
CREATE TABLE IF NOT EXISTS $schema$._LOCK (
    NAME    VARCHAR NOT NULL PRIMARY KEY,
    HOLDER  VARCHAR,
    SINCE   TIMESTAMP_TZ,
    EXPIRES TIMESTAMP_TZ
);

INSERT INTO $schema$._LOCK (NAME) SELECT 'load' WHERE NOT EXISTS (SELECT 1 FROM $schema$._LOCK WHERE NAME = 'load');
