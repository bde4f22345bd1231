-- The Snowflake functions the course's SQL uses that DuckDB lacks or spells differently, as macros in the
-- file's main schema: visible to unqualified calls from every schema (a dbt run's dev and ci included), and
-- taking precedence over a built-in of the same name.

-- Snowflake's names for date and time parts, abbreviations included, mapped to one spelling; anything else is an error.
CREATE OR REPLACE MACRO main.snowflake_date_part(part) AS (
    CASE
        WHEN lower(part) IN ('year', 'y', 'yy', 'yyy', 'yyyy', 'yr', 'years', 'yrs') THEN 'year'
        WHEN lower(part) IN ('quarter', 'q', 'qtr', 'qtrs', 'quarters') THEN 'quarter'
        WHEN lower(part) IN ('month', 'mm', 'mon', 'mons', 'months') THEN 'month'
        WHEN lower(part) IN ('week', 'w', 'wk', 'weekofyear', 'woy', 'wy', 'weeks') THEN 'week'
        WHEN lower(part) IN ('day', 'd', 'dd', 'days', 'dayofmonth') THEN 'day'
        WHEN lower(part) IN ('hour', 'h', 'hh', 'hr', 'hours', 'hrs') THEN 'hour'
        WHEN lower(part) IN ('minute', 'm', 'mi', 'min', 'minutes', 'mins') THEN 'minute'
        WHEN lower(part) IN ('second', 's', 'sec', 'seconds', 'secs') THEN 'second'
        WHEN lower(part) IN ('millisecond', 'ms', 'msec', 'milliseconds') THEN 'millisecond'
        WHEN lower(part) IN ('microsecond', 'us', 'usec', 'microseconds') THEN 'microsecond'
        WHEN lower(part) IN ('nanosecond', 'ns', 'nsec', 'nanosec', 'nsecond', 'nanoseconds', 'nanosecs', 'nseconds') THEN 'nanosecond'
        ELSE error('datediff: unknown date or time part ''' || part || '''')
    END
);

-- datediff(part, start, end): Snowflake's semantics, the part's boundaries crossed between the two values,
-- negative when end is before start. Dates, timestamps and text alike (Snowflake casts text implicitly).
-- Weeks start on Monday (Snowflake's default WEEK_START); DuckDB's own datediff counts weeks otherwise
-- and knows none of the abbreviations.
CREATE OR REPLACE MACRO main.datediff(part, start_value, end_value) AS (
    CASE main.snowflake_date_part(part)
        WHEN 'year' THEN date_diff('year', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP))
        WHEN 'quarter' THEN date_diff('quarter', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP))
        WHEN 'month' THEN date_diff('month', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP))
        WHEN 'week' THEN date_diff('day', date_trunc('week', CAST(start_value AS TIMESTAMP)), date_trunc('week', CAST(end_value AS TIMESTAMP))) // 7
        WHEN 'day' THEN date_diff('day', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP))
        WHEN 'hour' THEN date_diff('hour', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP))
        WHEN 'minute' THEN date_diff('minute', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP))
        WHEN 'second' THEN date_diff('second', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP))
        WHEN 'millisecond' THEN date_diff('millisecond', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP))
        WHEN 'microsecond' THEN date_diff('microsecond', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP))
        ELSE date_diff('microsecond', CAST(start_value AS TIMESTAMP), CAST(end_value AS TIMESTAMP)) * 1000
    END
);

-- An integer read as Snowflake reads one: seconds since the epoch, or milli-, micro- or nanoseconds when too
-- large to be seconds.
CREATE OR REPLACE MACRO main.snowflake_epoch_timestamp(number) AS (
    CASE
        WHEN number IS NULL THEN NULL
        WHEN number < 31536000000 THEN make_timestamp(try_cast(number * 1000000 AS BIGINT))
        WHEN number < 31536000000000 THEN make_timestamp(try_cast(number * 1000 AS BIGINT))
        WHEN number < 31536000000000000 THEN make_timestamp(try_cast(number AS BIGINT))
        ELSE make_timestamp(try_cast(number // 1000 AS BIGINT))
    END
);

-- try_to_timestamp(text): the timestamp, or NULL when the text is not one. As Snowflake's AUTO format:
-- ISO dates and times with a space or T, optional seconds and fractions, an optional Z; or an integer
-- (seconds since the epoch, see above). Day-first and month-first dates are not guessed at.
CREATE OR REPLACE MACRO main.try_to_timestamp(value) AS (
    CASE
        WHEN value IS NULL THEN NULL
        WHEN regexp_full_match(CAST(value AS VARCHAR), '-?[0-9]+') THEN main.snowflake_epoch_timestamp(try_cast(CAST(value AS VARCHAR) AS HUGEINT))
        ELSE try_strptime(CAST(value AS VARCHAR), [
            '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f',
            '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M', '%Y-%m-%d'])
    END
);

-- to_timestamp(value) and to_date(value): as try_to_timestamp, but an error for what is not a timestamp (a
-- number is seconds since the epoch, as before).
CREATE OR REPLACE MACRO main.to_timestamp(value) AS (
    CASE
        WHEN value IS NULL THEN NULL
        ELSE coalesce(main.try_to_timestamp(value), error('to_timestamp: ''' || CAST(value AS VARCHAR) || ''' is not a timestamp'))
    END
);

CREATE OR REPLACE MACRO main.to_date(value) AS (CAST(main.to_timestamp(value) AS DATE));

-- count_if(condition): the rows where it is true, 0 on no rows. DuckDB's own answers NULL on no rows.
CREATE OR REPLACE MACRO main.count_if(condition) AS (CAST(count(CASE WHEN condition THEN 1 END) AS BIGINT));

-- current_timestamp() with empty parentheses, as Snowflake writes it (DuckDB takes it only without them).
CREATE OR REPLACE MACRO main.current_timestamp() AS get_current_timestamp();

-- iff(condition, then, else) and parse_json(text), as cheap insurance for the students' own SQL.
CREATE OR REPLACE MACRO main.iff(condition, when_true, when_false) AS (CASE WHEN condition THEN when_true ELSE when_false END);

CREATE OR REPLACE MACRO main.parse_json(value) AS (json(value));
