using System.Data;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;

namespace GameData.Migrations;

/// <summary>
/// DbUp's connection, lent by a caller who holds it open inside a transaction of its own (a reset): DbUp's commands
/// run in that transaction, and DbUp neither opens, commits nor closes anything. Scripts are split as the
/// warehouse's own connection manager splits them.
/// </summary>
internal sealed class BorrowedConnection(IDbConnection connection, IConnectionManager warehouse) : IConnectionManager
{
    public TransactionMode TransactionMode { get; set; }
    public bool IsScriptOutputLogged { get; set; }
    public int? ExecutionTimeoutSeconds { get; set; }

    public IDisposable OperationStarting(IUpgradeLog upgradeLog, List<SqlScript> executedScripts) => new Nothing();

    public void ExecuteCommandsWithManagedConnection(Action<Func<IDbCommand>> action) => action(connection.CreateCommand);

    public T ExecuteCommandsWithManagedConnection<T>(Func<Func<IDbCommand>, T> actionWithResult) =>
        actionWithResult(connection.CreateCommand);

    public bool TryConnect(IUpgradeLog upgradeLog, out string errorMessage)
    {
        errorMessage = "";
        return true;
    }

    public IEnumerable<string> SplitScriptIntoCommands(string scriptContents) => warehouse.SplitScriptIntoCommands(scriptContents);

    public void Dispose() { }

    private sealed class Nothing : IDisposable
    {
        public void Dispose() { }
    }
}
