using DbUp.Builder;
using GameData.Migrations;
using GameData.Warehouses.Snowflake;

/// <summary>
/// <c>DeployChanges.To.SnowflakeDatabase(client, schema)</c>, wired like the DuckDB provider. Scripts run
/// without a DbUp transaction (the SQL API cannot hold one across requests; Snowflake commits DDL at
/// once anyway), so they are written to be re-runnable.
/// </summary>
public static class SnowflakeExtensions
{
    public static UpgradeEngineBuilder SnowflakeDatabase(this SupportedDatabases supported, SnowflakeStatementClient client, string schema)
    {
        var builder = new UpgradeEngineBuilder();
        builder.Configure(c => c.ConnectionManager = new SnowflakeConnectionManager(client));
        builder.Configure(c => c.Journal = new ChecksumTableJournal(() => c.ConnectionManager, () => c.Log, new SnowflakeObjectParser(),
            schema, ChecksumTableJournal.TableName, "@"));
        builder.Configure(c => c.ScriptExecutor = new SnowflakeScriptExecutor(() => c.ConnectionManager, () => c.Log, schema,
            () => c.VariablesEnabled, c.ScriptPreprocessors, () => c.Journal));
        return builder;
    }
}
