namespace GameData.Warehouses.Snowflake;

/// <summary>Where the SQL API's bearer token comes from. Never logged, never printed.</summary>
public interface ISnowflakeCredential
{
    SnowflakeToken Token();

    /// <summary>
    /// After Snowflake refused <paramref name="rejected"/> (401), makes a new token if this credential can;
    /// false when a new one must come from the user ("The application must obtain a new access token").
    /// </summary>
    bool Renew(string rejected);
}
