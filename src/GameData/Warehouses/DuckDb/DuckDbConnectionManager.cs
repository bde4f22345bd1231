using DbUp.Engine.Transactions;
using DuckDB.NET.Data;
using System.Text.RegularExpressions;

namespace GameData.Warehouses.DuckDb;

/// <summary>DbUp connection manager for a DuckDB file.</summary>
public sealed class DuckDbConnectionManager(string connectionString)
    : DatabaseConnectionManager(_ => new DuckDBConnection(connectionString))
{
    /// <summary>Statements end with a semicolon at the end of a line.</summary>
    public override IEnumerable<string> SplitScriptIntoCommands(string scriptContents) =>
        Regex.Split(scriptContents, @";\s*$", RegexOptions.Multiline)
            .Select(statement => statement.Trim())
            .Where(statement => statement.Split('\n')
                .Any(line => line.Trim().Length > 0 && !line.Trim().StartsWith("--", StringComparison.Ordinal)));
}
