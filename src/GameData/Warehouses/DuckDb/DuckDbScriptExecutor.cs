using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Support;
using DuckDB.NET.Data;

namespace GameData.Warehouses.DuckDb;

/// <summary>Runs migration scripts against DuckDB, logging which statement of which script failed.</summary>
public sealed class DuckDbScriptExecutor(
    Func<IConnectionManager> connectionManager, Func<IUpgradeLog> log, string schema, Func<bool> variablesEnabled,
    IEnumerable<IScriptPreprocessor> preprocessors, Func<IJournal> journal)
    : ScriptExecutor(connectionManager, new DuckDbObjectParser(), log, schema, variablesEnabled, preprocessors, journal)
{
    protected override string GetVerifySchemaSql(string schema) => $"create schema if not exists {schema}";

    protected override void ExecuteCommandsWithinExceptionHandler(int index, SqlScript script, Action executeCommand)
    {
        try
        {
            executeCommand();
        }
        catch (DuckDBException exception)
        {
            Log().LogError("DuckDB error in script {0}, statement {1}: {2}", script.Name, index, exception.Message);
            throw;
        }
    }
}
