using DbUp.Builder;
using GameData.Migrations;
using GameData.Warehouses.DuckDb;

/// <summary>
/// <c>DeployChanges.To.DuckDbDatabase(...)</c>, wired like DbUp's own providers: connection manager,
/// checksum journal, script executor. In the root namespace, as DbUp's providers are, so it is found.
/// </summary>
public static class DuckDbExtensions
{
    public static UpgradeEngineBuilder DuckDbDatabase(this SupportedDatabases supported, string connectionString, string schema)
    {
        var builder = new UpgradeEngineBuilder();
        builder.Configure(c => c.ConnectionManager = new DuckDbConnectionManager(connectionString));
        builder.Configure(c => c.Journal = new ChecksumTableJournal(() => c.ConnectionManager, () => c.Log, new DuckDbObjectParser(),
            schema, ChecksumTableJournal.TableName, "$"));
        builder.Configure(c => c.ScriptExecutor = new DuckDbScriptExecutor(() => c.ConnectionManager, () => c.Log, schema,
            () => c.VariablesEnabled, c.ScriptPreprocessors, () => c.Journal));
        return builder;
    }
}
