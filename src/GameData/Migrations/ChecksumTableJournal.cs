using System.Data;
using System.Security.Cryptography;
using System.Text;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Support;

namespace GameData.Migrations;

/// <summary>
/// DbUp's journal matches scripts by name only; this one also records each script's SHA-256, so an
/// applied script that was edited afterwards is reported instead of silently ignored. The SQL is
/// plain enough for DuckDB, PostgreSQL and Snowflake; only the parameter prefix differs.
/// </summary>
public sealed class ChecksumTableJournal(
    Func<IConnectionManager> connectionManager, Func<IUpgradeLog> log, ISqlObjectParser parser, string schema, string table,
    string parameterPrefix)
    : TableJournal(connectionManager, log, parser, schema, table)
{
    /// <summary>SHA-256 of a script's text with line ends normalised, so a Windows checkout matches.</summary>
    public static string Checksum(string contents) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(contents.Replace("\r\n", "\n"))));

    public override void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory)
    {
        EnsureTableExistsAndIsLatestVersion(dbCommandFactory);
        using var command = dbCommandFactory();
        command.CommandText =
            $"insert into {FqSchemaTableName} (script_name, checksum, applied_at) " +
            $"values ({parameterPrefix}scriptName, {parameterPrefix}checksum, {parameterPrefix}applied)";
        AddParameter(command, "scriptName", script.Name);
        AddParameter(command, "checksum", Checksum(script.Contents));
        AddParameter(command, "applied", DateTime.UtcNow);
        command.ExecuteNonQuery();
    }

    /// <summary>Applied scripts and their checksums; empty when the journal table does not exist yet.</summary>
    public IReadOnlyDictionary<string, string> AppliedChecksums(Func<IDbCommand> dbCommandFactory)
    {
        var applied = new Dictionary<string, string>();
        if (!DoesTableExist(dbCommandFactory)) return applied;
        using var command = dbCommandFactory();
        command.CommandText = $"select script_name, checksum from {FqSchemaTableName} order by script_name";
        using var reader = command.ExecuteReader();
        while (reader.Read()) applied[reader.GetString(0)] = reader.GetString(1);
        return applied;
    }

    private static void AddParameter(IDbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    protected override string GetInsertJournalEntrySql(string scriptName, string applied) =>
        throw new NotSupportedException("StoreExecutedScript writes the checksum itself");

    protected override string GetJournalEntriesSql() => $"select script_name from {FqSchemaTableName} order by script_name";

    /// <summary>The journal's table, the same on every warehouse.</summary>
    protected override string CreateSchemaTableSql(string quotedPrimaryKeyName) =>
        $"create table {FqSchemaTableName} " +
        "(script_name varchar(255) primary key, checksum varchar(64) not null, applied_at timestamp not null)";

    public const string TableName = "schema_versions";

    /// <summary>Case-insensitive: Snowflake stores unquoted names in upper case, the others in the case given.</summary>
    protected override string DoesTableExistSql() =>
        $"select count(*) from information_schema.tables where upper(table_schema) = upper('{SchemaTableSchema}') " +
        $"and upper(table_name) = upper('{UnquotedSchemaTableName}')";
}
