-- The Snowflake functions the course's SQL uses that PostgreSQL lacks. They go into public when this role may
-- create there (and no other role owns functions of these names there), so unqualified calls find them from
-- every schema; otherwise into the RAW schema, which the profile gamedata generates for dbt puts on its
-- search_path. A reset asks for the RAW schema (gamedata.functions_schema): its targets run this script in
-- parallel transactions, which cannot all replace the same functions in public. current_timestamp() with
-- empty parentheses cannot be helped: PostgreSQL's grammar rejects it.
DO $$
DECLARE
    target text := '$schema$';
BEGIN
    IF coalesce(current_setting('gamedata.functions_schema', true), '') = ''
       AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public')
       AND has_schema_privilege('public', 'CREATE')
       AND NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                       WHERE n.nspname = 'public' AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
                         AND p.proname IN ('snowflake_date_part', 'datediff', 'count_if', 'count_if_step', 'try_to_timestamp',
                                           'to_timestamp', 'to_date', 'iff', 'parse_json'))
    THEN
        target := 'public';
    END IF;
    -- For the rest of this migration's transaction only: the functions below are created in the target.
    PERFORM set_config('search_path', quote_ident(target), true);
END
$$;

-- Snowflake's names for date and time parts, abbreviations included, mapped to one spelling; anything else is an error.
CREATE OR REPLACE FUNCTION snowflake_date_part(part text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN CASE
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
    END;
END
$$;

-- datediff(part, start, end): Snowflake's semantics, the part's boundaries crossed between the two values
-- (both truncated to the part), negative when end is before start. Weeks start on Monday, Snowflake's default.
CREATE OR REPLACE FUNCTION datediff(part text, start_value timestamp, end_value timestamp) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path FROM CURRENT AS $$
DECLARE
    unit text := snowflake_date_part(part);
BEGIN
    IF unit IS NULL THEN
        RAISE EXCEPTION 'datediff: unknown date or time part ''%''', part USING ERRCODE = '22023';
    END IF;
    RETURN CASE unit
        WHEN 'year' THEN extract(year FROM end_value) - extract(year FROM start_value)
        WHEN 'quarter' THEN (extract(year FROM end_value) * 4 + extract(quarter FROM end_value))
                          - (extract(year FROM start_value) * 4 + extract(quarter FROM start_value))
        WHEN 'month' THEN (extract(year FROM end_value) * 12 + extract(month FROM end_value))
                        - (extract(year FROM start_value) * 12 + extract(month FROM start_value))
        WHEN 'week' THEN (date_trunc('week', end_value)::date - date_trunc('week', start_value)::date) / 7
        WHEN 'day' THEN end_value::date - start_value::date
        WHEN 'hour' THEN extract(epoch FROM date_trunc('hour', end_value) - date_trunc('hour', start_value)) / 3600
        WHEN 'minute' THEN extract(epoch FROM date_trunc('minute', end_value) - date_trunc('minute', start_value)) / 60
        WHEN 'second' THEN extract(epoch FROM date_trunc('second', end_value) - date_trunc('second', start_value))
        WHEN 'millisecond' THEN extract(epoch FROM date_trunc('milliseconds', end_value) - date_trunc('milliseconds', start_value)) * 1000
        WHEN 'microsecond' THEN extract(epoch FROM end_value - start_value) * 1000000
        ELSE extract(epoch FROM end_value - start_value) * 1000000000
    END;
END
$$;

CREATE OR REPLACE FUNCTION datediff(part text, start_value timestamptz, end_value timestamptz) RETURNS bigint
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT datediff(part, start_value::timestamp, end_value::timestamp)
$$;

CREATE OR REPLACE FUNCTION datediff(part text, start_value date, end_value date) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT datediff(part, start_value::timestamp, end_value::timestamp)
$$;

-- Text, as Snowflake casts it implicitly (and what a quoted literal resolves to).
CREATE OR REPLACE FUNCTION datediff(part text, start_value text, end_value text) RETURNS bigint
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT datediff(part, start_value::timestamp, end_value::timestamp)
$$;

-- count_if(condition): the rows where it is true; 0 on no rows.
CREATE OR REPLACE FUNCTION count_if_step(counted bigint, condition boolean) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT counted + CASE WHEN condition THEN 1 ELSE 0 END
$$;

CREATE OR REPLACE AGGREGATE count_if(boolean) (SFUNC = count_if_step, STYPE = bigint, INITCOND = '0', COMBINEFUNC = int8pl, PARALLEL = SAFE);

-- try_to_timestamp(text): the timestamp, or NULL when the text is not one. As Snowflake's AUTO format: ISO
-- dates and times with a space or T, optional seconds and fractions, an optional Z; or an integer (seconds
-- since the epoch, or milli-, micro-, nanoseconds when too large to be seconds). Not PARALLEL SAFE: a
-- function with an exception handler starts a subtransaction, which parallel workers cannot.
CREATE OR REPLACE FUNCTION try_to_timestamp(value text) RETURNS timestamp
LANGUAGE plpgsql STABLE PARALLEL UNSAFE AS $$
DECLARE
    number numeric;
BEGIN
    IF value IS NULL THEN
        RETURN NULL;
    END IF;
    IF value ~ '^-?[0-9]+$' THEN
        number := value::numeric;
        RETURN to_timestamp((CASE
            WHEN number < 31536000000 THEN number
            WHEN number < 31536000000000 THEN number / 1000
            WHEN number < 31536000000000000 THEN number / 1000000
            ELSE number / 1000000000 END)::double precision) AT TIME ZONE 'UTC';
    END IF;
    IF value !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?)?Z?$' THEN
        RETURN NULL;
    END IF;
    RETURN replace(rtrim(value, 'Z'), 'T', ' ')::timestamp;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

-- to_timestamp(text) and to_date(text): as try_to_timestamp, but an error for what is not a timestamp.
-- PostgreSQL's own to_timestamp(number) and to_timestamp(text, format) stay as they are.
CREATE OR REPLACE FUNCTION to_timestamp(value text) RETURNS timestamp
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE SET search_path FROM CURRENT AS $$
DECLARE
    result timestamp := try_to_timestamp(value);
BEGIN
    IF result IS NULL THEN
        RAISE EXCEPTION 'to_timestamp: ''%'' is not a timestamp', value USING ERRCODE = '22007';
    END IF;
    RETURN result;
END
$$;

CREATE OR REPLACE FUNCTION to_date(value text) RETURNS date
LANGUAGE sql STABLE STRICT PARALLEL UNSAFE SET search_path FROM CURRENT AS $$
    SELECT to_timestamp(value)::date
$$;

-- iff(condition, then, else) and parse_json(text), as cheap insurance for the students' own SQL.
-- anycompatible (not anyelement), so that quoted literals resolve to text as they do in Snowflake.
CREATE OR REPLACE FUNCTION iff(condition boolean, when_true anycompatible, when_false anycompatible) RETURNS anycompatible
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN condition THEN when_true ELSE when_false END
$$;

CREATE OR REPLACE FUNCTION parse_json(value text) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT value::jsonb
$$;

-- What the rest of the migration run sees: the search path it started with.
RESET search_path;
