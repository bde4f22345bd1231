using DbUp.Engine.Transactions;
using DuckDB.NET.Data;

namespace GameData.Migrations.DuckDb;

/// <summary>DbUp connection manager for a DuckDB file.</summary>
public sealed class DuckDbConnectionManager(string connectionString)
    : DatabaseConnectionManager(_ => new DuckDBConnection(connectionString))
{
    /// <summary>Statements end with a semicolon at the end of a line.</summary>
    public override IEnumerable<string> SplitScriptIntoCommands(string scriptContents) => MigrationScripts.DuckDbStatements(scriptContents);
}
