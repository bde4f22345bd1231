using System.Collections;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GameData.Warehouses.Snowflake;

/// <summary>
/// Just enough ADO.NET over the SQL API for DbUp: each command is one request (several statements
/// allowed), named parameters become <c>?</c> bindings. The API is stateless, so there is nothing to
/// open and no transaction to span requests.
/// </summary>
public sealed class SnowflakeRestConnection(SnowflakeStatementClient client) : DbConnection
{
    private ConnectionState _state = ConnectionState.Closed;

    internal SnowflakeStatementClient Client => client;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string ConnectionString { get; set; } = "";
    public override string Database => "";
    public override string DataSource => "snowflake-sql-api";
    public override string ServerVersion => "v2";
    public override ConnectionState State => _state;
    public override void Open() => _state = ConnectionState.Open;
    public override void Close() => _state = ConnectionState.Closed;
    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        throw new NotSupportedException("a Snowflake SQL API transaction cannot span requests; run migrations without one");

    protected override DbCommand CreateDbCommand() => new SnowflakeRestCommand(this);
}

public sealed class SnowflakeRestCommand(SnowflakeRestConnection connection) : DbCommand
{
    private static readonly Regex NamedParameter = new(@"[@:$](\w+)");
    private readonly SnowflakeRestParameters _parameters = new();

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string CommandText { get; set; } = "";
    public override int CommandTimeout { get; set; } = 3600;
    public override CommandType CommandType { get; set; } = CommandType.Text;
    public override bool DesignTimeVisible { get; set; }
    public override UpdateRowSource UpdatedRowSource { get; set; }
    protected override DbConnection? DbConnection { get; set; } = connection;
    protected override DbParameterCollection DbParameterCollection => _parameters;
    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel() { }
    public override void Prepare() { }
    protected override DbParameter CreateDbParameter() => new SnowflakeRestParameter();

    public override int ExecuteNonQuery() => (int)Run().RowsInserted;

    public override object? ExecuteScalar() => Run().Rows.FirstOrDefault()?.FirstOrDefault();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        var result = Run();
        var table = new DataTable();
        foreach (var column in result.Columns) table.Columns.Add(column, typeof(string));
        foreach (var row in result.Rows) table.Rows.Add(row.Cast<object?>().Select(v => v ?? DBNull.Value).ToArray());
        return table.CreateDataReader();
    }

    private StatementResult Run()
    {
        var bindings = new List<string?>();
        var sql = NamedParameter.Replace(CommandText, match =>
        {
            // e.g. $schema$ already replaced, or a literal
            if (_parameters.Find(match.Groups[1].Value) is not { } parameter) return match.Value;
            bindings.Add(parameter.Value switch
            {
                null or DBNull => null,
                DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            });
            return "?";
        });
        var options = new StatementOptions(MultiStatementCount: bindings.Count == 0 ? 0 : null, Bindings: bindings,
            TimeoutSeconds: CommandTimeout);
        var client = ((SnowflakeRestConnection)Connection!).Client;
        return client.ExecuteAsync(sql, options).GetAwaiter().GetResult();
    }
}

public sealed class SnowflakeRestParameter : DbParameter
{
    public override DbType DbType { get; set; } = DbType.String;
    public override ParameterDirection Direction { get; set; } = ParameterDirection.Input;
    public override bool IsNullable { get; set; }
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string ParameterName { get; set; } = "";
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string SourceColumn { get; set; } = "";
    public override bool SourceColumnNullMapping { get; set; }
    public override int Size { get; set; }
    public override object? Value { get; set; }
    public override void ResetDbType() => DbType = DbType.String;
}

public sealed class SnowflakeRestParameters : DbParameterCollection
{
    private readonly List<DbParameter> _items = [];

    internal DbParameter? Find(string name) => _items.FirstOrDefault(p => p.ParameterName.TrimStart('@', ':', '$') == name);

    public override int Count => _items.Count;
    public override object SyncRoot => _items;
    public override int Add(object value) { _items.Add((DbParameter)value); return _items.Count - 1; }
    public override void AddRange(Array values) { foreach (var value in values) Add(value!); }
    public override void Clear() => _items.Clear();
    public override bool Contains(object value) => _items.Contains((DbParameter)value);
    public override bool Contains(string value) => IndexOf(value) >= 0;
    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);
    public override IEnumerator GetEnumerator() => _items.GetEnumerator();
    protected override DbParameter GetParameter(int index) => _items[index];
    protected override DbParameter GetParameter(string parameterName) => _items[IndexOf(parameterName)];
    public override int IndexOf(object value) => _items.IndexOf((DbParameter)value);
    public override int IndexOf(string parameterName) => _items.FindIndex(p => p.ParameterName == parameterName);
    public override void Insert(int index, object value) => _items.Insert(index, (DbParameter)value);
    public override void Remove(object value) => _items.Remove((DbParameter)value);
    public override void RemoveAt(int index) => _items.RemoveAt(index);
    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOf(parameterName));
    protected override void SetParameter(int index, DbParameter value) => _items[index] = value;
    protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOf(parameterName)] = value;
}
