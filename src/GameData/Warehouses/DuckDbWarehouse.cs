using System.Diagnostics;
using DuckDB.NET.Data;
using GameData.Loading;

namespace GameData.Warehouses;

/// <summary>
/// The embedded default: a DuckDB file. Loads go through DuckDB's own CSV reader
/// (<c>INSERT ... SELECT ... FROM read_csv(...)</c>), all in one transaction. DuckDB lets one process
/// write a file at a time; a second load waits for the file lock, then runs after the first.
/// </summary>
public sealed class DuckDbWarehouse : IWarehouse
{
    private readonly DuckDBConnection _connection;

    private DuckDbWarehouse(WarehouseSettings settings, DuckDBConnection connection)
    {
        Settings = settings;
        _connection = connection;
    }

    public WarehouseSettings Settings { get; }

    private string Schema => Settings.Schema;

    public static DuckDbWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(settings.DuckDbPath)!);
        var clock = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            var connection = new DuckDBConnection($"Data Source={settings.DuckDbPath}");
            try
            {
                connection.Open();
                return new DuckDbWarehouse(settings, connection);
            }
            catch (DuckDBException e) when (IsLockConflict(e))
            {
                connection.Dispose();
                if (clock.Elapsed > lockTimeout)
                    throw new WarehouseException($"{settings.DuckDbPath} is still in use by another process after {lockTimeout.TotalSeconds:0} s; try again when it has finished");
                if (!told) waiting($"{settings.DuckDbPath} is in use by another process (another load?); waiting up to {lockTimeout.TotalSeconds:0} s");
                told = true;
                Thread.Sleep(250);
            }
            catch (DuckDBException e)
            {
                connection.Dispose();
                throw new WarehouseException($"cannot open {settings.DuckDbPath}: {FirstLine(e.Message)}", e);
            }
        }
    }

    private static bool IsLockConflict(DuckDBException e) =>
        e.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase);

    public RawState? ReadState() =>
        Scalar<long>(LoadLedger.TablesSql(Schema)) < LoadLedger.MigratedTables ? null : LoadLedger.StateFrom(FirstRow(LoadLedger.StateSql(Schema)));

    private object?[] FirstRow(string sql)
    {
        using var command = Command(sql);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue).ToArray();
    }

    public LoadCounts Load(LoadPlan plan, IProgress<string> steps, CancellationToken cancellation)
    {
        // DuckDB reads the files itself; their digests are computed meanwhile and checked before the commit.
        var digests = Task.Run(() => RawSchema.Tables.ToDictionary(t => t.File, t => FileDigests.Sha256Of(plan.PathOf(t.File))), cancellation);
        using var transaction = _connection.BeginTransaction();
        if (plan.Mode == LoadMode.Recreate)
        {
            steps.Report("removing the previous rows (inside the transaction)");
            foreach (var table in RawSchema.Tables.Reverse()) Execute($"DELETE FROM {Schema}.{table.Name}");
        }
        var counts = new Dictionary<RawTable, TableCounts>();
        foreach (var table in RawSchema.Tables)
        {
            cancellation.ThrowIfCancellationRequested();
            steps.Report($"{table.File}: loading {plan.RowsIn(table.File):N0} rows into {table.Name}");
            var inserted = Execute(InsertSql(table, plan));
            counts[table] = new TableCounts(inserted, plan.RowsIn(table.File) - inserted);
        }
        foreach (var (file, sha256) in digests.Result) FileDigests.Verify(plan, file, sha256);
        var result = new LoadCounts(counts[RawSchema.Players], counts[RawSchema.Sessions], counts[RawSchema.Events]);
        Execute(LoadLedger.InsertSql(Schema, plan, result, LoadLedger.Succeeded, DateTimeOffset.UtcNow));
        steps.Report("committing");
        transaction.Commit();
        return result;
    }

    /// <summary>Every column as text, exactly as delivered; append skips keys already present.</summary>
    private string InsertSql(RawTable table, LoadPlan plan)
    {
        var columns = string.Join(", ", table.Columns.Select(c => $"'{c.ToLowerInvariant()}': 'VARCHAR'"));
        var path = plan.PathOf(table.File).Replace("'", "''");
        var sql = $"INSERT INTO {Schema}.{table.Name} SELECT csv.*, {plan.Batch}, '{plan.LoadId}', now() " +
                  $"FROM read_csv('{path}', header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', " +
                  $"strict_mode = true, columns = {{{columns}}}) AS csv";
        if (plan.Mode == LoadMode.Append)
            sql += $" WHERE NOT EXISTS (SELECT 1 FROM {Schema}.{table.Name} AS existing WHERE existing.{table.Key} = csv.{table.Key.ToLowerInvariant()})";
        return sql;
    }

    public void RecordFailure(LoadPlan plan)
    {
        var none = new TableCounts(0, 0);
        try { Execute(LoadLedger.InsertSql(Schema, plan, new LoadCounts(none, none, none), LoadLedger.Failed, DateTimeOffset.UtcNow)); }
        catch (DuckDBException) { /* best effort: the failure itself is what the user needs to see */ }
    }

    private DuckDBCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private int Execute(string sql)
    {
        using var command = Command(sql);
        try { return command.ExecuteNonQuery(); }
        catch (DuckDBException e) { throw new WarehouseException($"DuckDB: {FirstLine(e.Message)}", e); }
    }

    private T Scalar<T>(string sql)
    {
        using var command = Command(sql);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    public void Dispose() => _connection.Dispose();
}
