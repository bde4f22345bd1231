using DbUp.Engine.Transactions;

namespace GameData.Warehouses.Snowflake;

/// <summary>DbUp connection manager over the SQL API: a whole script goes as one multi-statement request.</summary>
public sealed class SnowflakeConnectionManager(SnowflakeStatementClient client)
    : DatabaseConnectionManager(_ => new SnowflakeRestConnection(client))
{
    public override IEnumerable<string> SplitScriptIntoCommands(string scriptContents) =>
        scriptContents.Trim().Length == 0 ? [] : [scriptContents.Trim()];
}
