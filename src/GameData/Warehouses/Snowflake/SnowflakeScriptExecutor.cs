using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Support;

namespace GameData.Warehouses.Snowflake;

/// <summary>
/// Snowflake quotes identifiers with double quotes, which also makes them case-sensitive: names are quoted in upper
/// case, as Snowflake stores the same names written unquoted elsewhere (the reset reads RAW.schema_versions, which is
/// RAW.SCHEMA_VERSIONS; a quoted "schema_versions" would be another table).
/// </summary>
public sealed class SnowflakeObjectParser() : SqlObjectParser("\"", "\"")
{
    public override string QuoteIdentifier(string objectName, ObjectNameOptions objectNameOptions) =>
        base.QuoteIdentifier(objectName.ToUpperInvariant(), objectNameOptions);
}

/// <summary>Runs migration scripts through the SQL API, logging Snowflake's code and SQL state on failure.</summary>
public sealed class SnowflakeScriptExecutor(
    Func<IConnectionManager> connectionManager, Func<IUpgradeLog> log, string schema, Func<bool> variablesEnabled,
    IEnumerable<IScriptPreprocessor> preprocessors, Func<IJournal> journal)
    : ScriptExecutor(connectionManager, new SnowflakeObjectParser(), log, schema, variablesEnabled, preprocessors, journal)
{
    protected override string GetVerifySchemaSql(string schema) => $"CREATE SCHEMA IF NOT EXISTS {schema}";

    protected override void ExecuteCommandsWithinExceptionHandler(int index, SqlScript script, Action executeCommand)
    {
        try
        {
            executeCommand();
        }
        catch (SnowflakeException exception)
        {
            Log().LogError("Snowflake error in script {0}: {1}", script.Name, exception.Message);
            throw;
        }
    }
}
