using System.Net.Sockets;
using System.Security.Cryptography;
using GameData.Loading;
using Npgsql;

namespace GameData.Warehouses;

/// <summary>
/// PostgreSQL through Npgsql. Files go in with COPY (the bytes of the file as they are, hashed on the
/// way), inside one transaction that also writes the ledger row. Concurrent loads into one schema
/// take turns on an advisory lock.
/// </summary>
public sealed class PostgresWarehouse : IWarehouse
{
    private readonly NpgsqlConnection _connection;
    private readonly TimeSpan _lockTimeout;

    private PostgresWarehouse(WarehouseSettings settings, NpgsqlConnection connection, TimeSpan lockTimeout)
    {
        Settings = settings;
        _connection = connection;
        _lockTimeout = lockTimeout;
    }

    public WarehouseSettings Settings { get; }

    private string Schema => Settings.Schema;

    public static PostgresWarehouse Open(WarehouseSettings settings, TimeSpan lockTimeout)
    {
        var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        try
        {
            connection.Open();
            return new PostgresWarehouse(settings, connection, lockTimeout);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            connection.Dispose();
            throw new WarehouseException(Explain(e, settings), e);
        }
    }

    /// <summary>One line for the user; never the connection string (it may hold a password).</summary>
    public static string Explain(Exception e, WarehouseSettings settings)
    {
        var target = settings.PostgresTarget();
        return e switch
        {
            PostgresException { SqlState: "28P01" } => $"PostgreSQL rejected the password for {target}",
            PostgresException { SqlState: "28000" } pe => $"PostgreSQL refused {target}: {pe.MessageText}",
            PostgresException { SqlState: "3D000" } => $"PostgreSQL has no such database: {target}",
            PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => $"the PostgreSQL session for {target} was terminated; nothing was committed",
            PostgresException { SqlState: "55P03" } => $"another load into {target} held the lock for over the lock timeout; try again when it has finished",
            PostgresException pe => $"PostgreSQL ({target}): {pe.MessageText}",
            NpgsqlException { InnerException: SocketException se } => $"cannot reach PostgreSQL at {target}: {se.Message}",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException => $"cannot reach PostgreSQL at {target}: timed out",
            NpgsqlException { InnerException: IOException } => $"the connection to PostgreSQL at {target} was lost; nothing was committed",
            _ => $"PostgreSQL ({target}): {e.Message.Split('\n')[0]}",
        };
    }

    public RawState? ReadState() => Guard(() =>
        Scalar<long>(LoadLedger.TablesSql(Schema)) < LoadLedger.MigratedTables ? null : LoadLedger.StateFrom(FirstRow(LoadLedger.StateSql(Schema))));

    private object?[] FirstRow(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue).ToArray();
    }

    public LoadCounts Load(LoadPlan plan, IProgress<string> steps, CancellationToken cancellation) => Guard(() =>
    {
        using var transaction = _connection.BeginTransaction();
        Execute($"SET LOCAL lock_timeout = '{(int)_lockTimeout.TotalMilliseconds}ms'");
        steps.Report("waiting for other loads into this schema, if any");
        Execute($"SELECT pg_advisory_xact_lock(hashtext('gamedata:{Schema}'))");
        Execute($"SELECT set_config('gamedata.batch_id', '{plan.Batch}', true), set_config('gamedata.load_id', '{plan.LoadId}', true)");

        if (plan.Mode == LoadMode.Recreate)
        {
            steps.Report("removing the previous rows (inside the transaction)");
            Execute($"TRUNCATE {string.Join(", ", RawSchema.Tables.Select(t => $"{Schema}.{t.Name}"))}");
        }
        var counts = new Dictionary<RawTable, TableCounts>();
        foreach (var table in RawSchema.Tables)
        {
            cancellation.ThrowIfCancellationRequested();
            var rows = plan.RowsIn(table.File);
            steps.Report($"{table.File}: copying {rows:N0} rows into {table.Name}");
            if (plan.Mode == LoadMode.Recreate)
            {
                Copy(plan, table, $"{Schema}.{table.Name}", cancellation);
                counts[table] = new TableCounts(rows, 0); // COPY is all or nothing, and the file matched the manifest
            }
            else
            {
                var stage = $"stage_{table.Name.ToLowerInvariant()}";
                Execute($"CREATE TEMP TABLE {stage} (LIKE {Schema}.{table.Name} INCLUDING DEFAULTS) ON COMMIT DROP");
                Copy(plan, table, stage, cancellation);
                var inserted = Execute($"INSERT INTO {Schema}.{table.Name} SELECT * FROM {stage} ON CONFLICT ({table.Key}) DO NOTHING");
                counts[table] = new TableCounts(inserted, rows - inserted);
            }
        }
        var result = new LoadCounts(counts[RawSchema.Players], counts[RawSchema.Sessions], counts[RawSchema.Events]);
        Execute(LoadLedger.InsertSql(Schema, plan, result, LoadLedger.Succeeded, DateTimeOffset.UtcNow));
        steps.Report("committing");
        transaction.Commit();
        return result;
    });

    /// <summary>
    /// Streams the file into COPY ... FROM STDIN as CSV, hashing the bytes sent; a digest mismatch aborts.
    /// The bytes go to the text importer's underlying stream as they are: no decoding and re-encoding.
    /// </summary>
    private void Copy(LoadPlan plan, RawTable table, string target, CancellationToken cancellation)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(plan.PathOf(table.File), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var importer = (NpgsqlCopyTextWriter)_connection.BeginTextImport($"COPY {target} ({table.ColumnList}) FROM STDIN (FORMAT csv, HEADER true)");
        try
        {
            var buffer = new byte[1 << 20];
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                sha256.AppendData(buffer, 0, read);
                importer.BaseStream.Write(buffer, 0, read);
            }
            FileDigests.Verify(plan, table.File, Convert.ToHexStringLower(sha256.GetHashAndReset()));
        }
        catch
        {
            try { importer.Cancel(); } catch (Exception) { /* the connection may already be gone */ }
            throw;
        }
        importer.Dispose();
    }

    public void RecordFailure(LoadPlan plan)
    {
        var none = new TableCounts(0, 0);
        try
        {
            if (_connection.State == System.Data.ConnectionState.Open)
                Execute(LoadLedger.InsertSql(Schema, plan, new LoadCounts(none, none, none), LoadLedger.Failed, DateTimeOffset.UtcNow));
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { /* best effort */ }
    }

    private T Guard<T>(Func<T> work)
    {
        try { return work(); }
        catch (Exception e) when (e is NpgsqlException or TimeoutException) { throw new WarehouseException(Explain(e, Settings), e); }
    }

    private int Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        return command.ExecuteNonQuery();
    }

    private T Scalar<T>(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _connection.Dispose();
}
