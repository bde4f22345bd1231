using DuckDB.NET.Data;
using GameData.Files;
using GameData.Loading;

namespace GameData.Warehouses.DuckDb;

/// <summary>
/// The embedded default: a DuckDB file. Loads go through DuckDB's own CSV reader
/// (<c>INSERT ... SELECT ... FROM read_csv(...)</c>) into a copy of the file, in one transaction; the copy is
/// checkpointed and renamed over the file (<see cref="DuckDbFile"/>). A load killed at any point leaves the
/// old file or the new one, and a failed load (a full disk included) leaves the file as it was and no copy.
/// One gamedata process at a time: a second waits for the lock.
/// </summary>
public sealed class DuckDbWarehouse : IWarehouse
{
    /// <summary>
    /// DuckDB's memory for a load; beyond it, it works from the file. Measured at 100,000 players: peak 1.24 GB
    /// unbounded, 0.83 GB with this limit, 5% slower.
    /// </summary>
    private const string LoadMemoryLimit = "512MB";

    private readonly DuckDbFile _file;
    private DuckDBConnection _connection;

    private DuckDbWarehouse(WarehouseSettings settings, DuckDbFile file, DuckDBConnection connection)
    {
        Settings = settings;
        _file = file;
        _connection = connection;
    }

    public WarehouseSettings Settings { get; }

    public string Describe() => Settings.Describe();

    private string Schema => Settings.Schema;

    public static DuckDbWarehouse Open(WarehouseSettings settings, Action<string> waiting, TimeSpan lockTimeout)
    {
        var file = DuckDbFile.Lock(settings.DuckDbPath, waiting, lockTimeout);
        try
        {
            return new DuckDbWarehouse(settings, file, Connect(file.Path, settings.DuckDbThreads, waiting, lockTimeout));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Opens the file, waiting while a program other than ours (a notebook, the duckdb shell) holds it.</summary>
    private static DuckDBConnection Connect(string path, int? threads, Action<string> waiting, TimeSpan lockTimeout)
    {
        DuckDBConnection? connection = null;
        LockWait.Until(() =>
            {
                try
                {
                    connection = DuckDbFile.Connect(path, threads);
                    return true;
                }
                catch (DuckDBException e) when (IsLockConflict(e)) { return false; }
                catch (DuckDBException e) { throw new WarehouseException($"cannot open {path}: {DuckDbSql.FirstLine(e.Message)}", e); }
            }, lockTimeout, TimeSpan.FromMilliseconds(250), waiting,
            () => $"{path} is in use by another program; waiting up to {lockTimeout.TotalSeconds:0} s",
            () => $"{path} is still in use by another program after {lockTimeout.TotalSeconds:0} s; try again when it has finished");
        return connection!;
    }

    private static bool IsLockConflict(DuckDBException e) =>
        e.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase);

    public RawState? ReadState() =>
        _connection.Scalar<long>(LoadLedger.TablesSql(Schema)) < LoadLedger.MigratedTables ? null
            : LoadLedger.StateFrom(_connection.FirstRow(LoadLedger.StateSql(Schema)));

    public LoadCounts Load(LoadPlan plan, IProgress<string> steps, CancellationToken cancellation)
    {
        // DuckDB reads the files itself; their digests and rows are computed meanwhile and checked before the commit.
        var facts = Task.Run(() => RawSchema.Tables.ToDictionary(t => t.File, t => FileFacts.Of(plan.PathOf(t.File))), cancellation);
        _connection.Execute("CHECKPOINT"); // everything in the file itself, so that the copy holds it all
        steps.Report("copying the DuckDB file to load into");
        var copy = _file.Copy();
        try
        {
            LoadCounts counts;
            using (var next = DuckDbFile.Connect(copy, Settings.DuckDbThreads, LoadMemoryLimit))
            {
                counts = LoadInto(next, plan, facts, steps, cancellation);
                steps.Report("writing the committed copy to disk (checkpoint)");
                next.Execute("CHECKPOINT");
            }
            // The last moment to stop: until the rename, the file holds the old rows.
            cancellation.ThrowIfCancellationRequested();
            steps.Report("renaming the copy over the file");
            _connection.Dispose();
            try { _file.Replace(copy); }
            finally { _connection = DuckDbFile.Connect(_file.Path, Settings.DuckDbThreads); }
            return counts;
        }
        finally
        {
            DuckDbFile.Discard(copy);
        }
    }

    private LoadCounts LoadInto(DuckDBConnection next, LoadPlan plan, Task<Dictionary<string, FileFacts>> facts, IProgress<string> steps,
        CancellationToken cancellation)
    {
        using var transaction = next.BeginTransaction();
        if (plan.Mode == LoadMode.Recreate)
        {
            steps.Report("removing the previous rows (inside the transaction)");
            foreach (var table in RawSchema.Tables.Reverse()) next.Execute($"DELETE FROM {Schema}.{table.Name}");
        }
        var inserted = new Dictionary<RawTable, long>();
        foreach (var table in RawSchema.Tables)
        {
            cancellation.ThrowIfCancellationRequested();
            steps.Report($"{table.File}: loading {plan.RowsIn(table.File):N0} rows into {table.Name}");
            inserted[table] = next.Execute(InsertSql(table, plan), cancellation);
        }
        cancellation.ThrowIfCancellationRequested();
        foreach (var (file, fileFacts) in facts.Result) plan.Verify(file, fileFacts);
        var counts = LoadCounts.From(inserted, facts.Result);
        next.Execute(LoadLedger.InsertSql(Schema, plan, counts, LoadLedger.Succeeded, DateTimeOffset.UtcNow));
        steps.Report("committing");
        transaction.Commit();
        return counts;
    }

    /// <summary>
    /// Every column as text, exactly as delivered; properties that are not JSON (declared defects) kept as a JSON
    /// string rather than failing the load. Append skips keys already present.
    /// </summary>
    private string InsertSql(RawTable table, LoadPlan plan)
    {
        var columns = string.Join(", ", table.Columns.Select(c => $"'{c.ToLowerInvariant()}': 'VARCHAR'"));
        var values = string.Join(", ", table.Columns.Select(c => c == "PROPERTIES"
            ? "COALESCE(TRY_CAST(csv.properties AS JSON), to_json(csv.properties))"
            : $"csv.{c.ToLowerInvariant()}"));
        var path = plan.PathOf(table.File).Replace("'", "''");
        var sql = $"INSERT INTO {Schema}.{table.Name} SELECT {values}, {plan.Batch}, '{plan.LoadId}', now() " +
                  $"FROM read_csv('{path}', header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', " +
                  $"strict_mode = true, {DuckDbFile.CsvLineLimit}, columns = {{{columns}}}) AS csv";
        if (plan.Mode == LoadMode.Append)
            sql += $" WHERE NOT EXISTS (SELECT 1 FROM {Schema}.{table.Name} AS existing " +
                $"WHERE existing.{table.Key} = csv.{table.Key.ToLowerInvariant()})";
        return sql;
    }

    /// <summary>Best effort, into the live file: a small insert of its own.</summary>
    public void RecordFailure(LoadPlan plan)
    {
        var none = new TableCounts(0, 0);
        try
        {
            _connection.Execute(LoadLedger.InsertSql(Schema, plan, new LoadCounts(none, none, none), LoadLedger.Failed,
                DateTimeOffset.UtcNow));
        }
        catch (Exception e) when (e is WarehouseException or DuckDBException or ObjectDisposedException)
        {
            /* the failure itself is what the user needs to see */
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _file.Dispose();
    }
}
