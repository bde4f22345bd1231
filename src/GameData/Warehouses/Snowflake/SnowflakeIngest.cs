namespace GameData.Warehouses.Snowflake;

/// <summary>How a load fills its staging tables (<c>--snowflake-ingest</c>, <c>SNOWFLAKE_INGEST</c>).</summary>
public enum SnowflakeIngest
{
    /// <summary>Streaming when the credential and the account allow it, otherwise SQL, with one line saying why.</summary>
    Auto,

    /// <summary>Snowpipe Streaming (high-performance REST API); a load fails rather than fall back.</summary>
    Streaming,

    /// <summary><c>INSERT ... SELECT ... FROM VALUES</c> requests through the SQL API.</summary>
    Sql,
}
