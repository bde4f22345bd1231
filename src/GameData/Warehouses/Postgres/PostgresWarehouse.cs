using System.Net.Sockets;
using GameData.Files;
using GameData.Loading;
using Npgsql;

namespace GameData.Warehouses.Postgres;

/// <summary>
/// PostgreSQL through Npgsql. Files go in with COPY (the bytes of the file as they are, hashed on the
/// way), inside one transaction that also writes the ledger row. Loads and migrations into one schema
/// take turns on a session advisory lock, taken before anything is read.
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

    public string Describe() => Settings.Describe();

    private string Schema => Settings.Schema;

    /// <summary>The advisory lock's name: one per schema, shared by loads, migrations and resets.</summary>
    public static string LockName(string schema) => $"gamedata:{schema}";

    /// <summary>Connects and takes the schema's lock, waiting up to <paramref name="lockTimeout"/> (zero: not at all).</summary>
    public static PostgresWarehouse Open(WarehouseSettings settings, TimeSpan lockTimeout, Action<string>? waiting = null)
    {
        var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        try
        {
            connection.Open();
            var warehouse = new PostgresWarehouse(settings, connection, lockTimeout);
            warehouse.TakeLock(waiting ?? (_ => { }));
            return warehouse;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            connection.Dispose();
            throw new WarehouseException(Explain(e, settings), e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A session lock, held until the connection closes, so the state read and the load that follows see no
    /// other writer. Polled rather than waited on, so that waiting can be reported and zero means "do not wait".
    /// </summary>
    private void TakeLock(Action<string> waiting)
    {
        var name = LockName(Schema);
        LockWait.Until(() => _connection.Scalar<bool>($"SELECT pg_try_advisory_lock(hashtext('{name}'))"), _lockTimeout,
            TimeSpan.FromMilliseconds(250), waiting,
            () => $"another load or migration holds the lock '{name}'; waiting up to {_lockTimeout.TotalSeconds:0} s",
            () => $"another load or migration into {PostgresProvider.Target(Settings)} still holds the lock '{name}' after " +
                  $"{_lockTimeout.TotalSeconds:0} s; try again when it has finished (or raise --lock-timeout)");
    }

    /// <summary>One line for the user; never the connection string (it may hold a password).</summary>
    public static string Explain(Exception e, WarehouseSettings settings)
    {
        var target = PostgresProvider.Target(settings);
        return e switch
        {
            PostgresException { SqlState: "28P01" } => $"PostgreSQL rejected the password for {target}",
            PostgresException { SqlState: "28000" } pe => $"PostgreSQL refused {target}: {pe.MessageText}",
            PostgresException { SqlState: "3D000" } => $"PostgreSQL has no such database: {target}",
            PostgresException { SqlState: "57P01" or "57P02" or "57P03" } =>
                $"the PostgreSQL session for {target} was terminated; nothing was committed",
            PostgresException { SqlState: "23505" } =>
                $"PostgreSQL ({target}): a RAW table still has a unique key, and these files repeat one; " +
                "run `gamedata migrate` first (migration 0003 keeps duplicates)",
            PostgresException { SqlState: "55P03" } =>
                $"another load into {target} held the lock for over the lock timeout; try again when it has finished",
            PostgresException pe => $"PostgreSQL ({target}): {pe.MessageText}",
            NpgsqlException { InnerException: SocketException se } => $"cannot reach PostgreSQL at {target}: {se.Message}",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException => $"cannot reach PostgreSQL at {target}: timed out",
            NpgsqlException { InnerException: IOException } => $"the connection to PostgreSQL at {target} was lost; nothing was committed",
            _ => $"PostgreSQL ({target}): {e.Message.Split('\n')[0]}",
        };
    }

    public RawState? ReadState() => Guard(() =>
    {
        if (_connection.Scalar<long>(LoadLedger.TablesSql(Schema)) >= LoadLedger.MigratedTables)
            return LoadLedger.StateFrom(_connection.FirstRow(LoadLedger.StateSql(Schema)));
        // The catalog hides the tables of a schema the role may not use: say that, not "run MigrateRaw".
        if (_connection.Scalar<bool>(
            $"SELECT coalesce((SELECT NOT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = '{Schema}'), false)"))
            throw new WarehouseException($"permission denied for schema {Schema}: " +
                                         $"the role {new NpgsqlConnectionStringBuilder(_connection.ConnectionString).Username} " +
                                         $"may not use it (GRANT USAGE ON SCHEMA {Schema} TO that role, or use the schema's owner)");
        return null;
    });

    public LoadCounts Load(LoadPlan plan, IProgress<string> steps, CancellationToken cancellation) => Guard(() =>
    {
        using var transaction = _connection.BeginTransaction();
        // Other programs (a dbt run reading RAW) may hold table locks: wait for them no longer than for another load.
        _connection.Execute($"SET LOCAL lock_timeout = '{Math.Max(1, (long)_lockTimeout.TotalMilliseconds)}ms'");
        _connection.Execute(
            $"SELECT set_config('gamedata.batch_id', '{plan.Batch}', true), set_config('gamedata.load_id', '{plan.LoadId}', true)");

        if (plan.Mode == LoadMode.Recreate)
        {
            steps.Report("removing the previous rows (inside the transaction)");
            _connection.Execute($"TRUNCATE {string.Join(", ", RawSchema.Tables.Select(t => $"{Schema}.{t.Name}"))}");
        }
        var inserted = new Dictionary<RawTable, long>();
        var facts = new Dictionary<string, FileFacts>();
        if (plan.Anomalies) _connection.Execute(JsonOrStringSql);
        foreach (var table in RawSchema.Tables)
        {
            cancellation.ThrowIfCancellationRequested();
            steps.Report($"{table.File}: copying {plan.RowsIn(table.File):N0} rows into {table.Name}");
            if (plan.Mode == LoadMode.Recreate && !plan.Anomalies)
            {
                facts[table.File] = Copy(plan, table, $"{Schema}.{table.Name}", steps, cancellation);
                // COPY's own count is not exposed for text imports; the table held nothing before it.
                inserted[table] = _connection.Scalar<long>($"SELECT count(*) FROM {Schema}.{table.Name}");
                continue;
            }
            // Through a stage: to skip keys already loaded, and for declared defects, to keep properties that are not JSON.
            var stage = $"stage_{table.Name.ToLowerInvariant()}";
            _connection.Execute($"CREATE TEMP TABLE {stage} (LIKE {Schema}.{table.Name} INCLUDING DEFAULTS) ON COMMIT DROP");
            var properties = table.Columns.Contains("PROPERTIES") && plan.Anomalies;
            if (properties) _connection.Execute($"ALTER TABLE {stage} ALTER COLUMN PROPERTIES TYPE text");
            facts[table.File] = Copy(plan, table, stage, steps, cancellation);
            var values = table.Columns.Select(c => properties && c == "PROPERTIES" ? "pg_temp.json_or_string(st.PROPERTIES)" : $"st.{c}");
            var sql = $"INSERT INTO {Schema}.{table.Name} ({table.ColumnList}, _BATCH_ID, _LOAD_ID, _LOADED_AT) " +
                      $"SELECT {string.Join(", ", values)}, st._BATCH_ID, st._LOAD_ID, st._LOADED_AT FROM {stage} AS st";
            if (plan.Mode == LoadMode.Append)
                sql += $" WHERE NOT EXISTS (SELECT 1 FROM {Schema}.{table.Name} AS existing WHERE existing.{table.Key} = st.{table.Key})";
            inserted[table] = _connection.Execute(sql);
        }
        var result = LoadCounts.From(inserted, facts);
        _connection.Execute(LoadLedger.InsertSql(Schema, plan, result, LoadLedger.Succeeded, DateTimeOffset.UtcNow));
        steps.Report("committing");
        transaction.Commit();
        steps.Report("committed");
        return result;
    });

    /// <summary>
    /// Properties that are not JSON (a truncated object, declared by --anomalies) are kept as a JSON string, as
    /// DuckDB and Snowflake keep them, rather than failing the load: RAW holds what the file holds. Only for
    /// such datasets: the exception block costs about twice a plain cast.
    /// </summary>
    private const string JsonOrStringSql = """
        CREATE OR REPLACE FUNCTION pg_temp.json_or_string(value text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            RETURN value::jsonb;
        EXCEPTION WHEN invalid_text_representation THEN
            RETURN to_jsonb(value);
        END
        $$
        """;

    /// <summary>
    /// Streams the file into COPY ... FROM STDIN as CSV, hashing and counting the bytes sent; a file that is not
    /// the one planned aborts. The bytes go to the text importer's underlying stream as they are: no decoding
    /// and re-encoding. Progress every 10% of the file.
    /// </summary>
    private FileFacts Copy(LoadPlan plan, RawTable table, string target, IProgress<string> steps, CancellationToken cancellation)
    {
        var facts = new FileFactsBuilder();
        using var file = new FileStream(plan.PathOf(table.File), FileMode.Open, FileAccess.Read, FileShare.Read, 1,
            FileOptions.SequentialScan);
        var importer = (NpgsqlCopyTextWriter)_connection.BeginTextImport(
            $"COPY {target} ({table.ColumnList}) FROM STDIN (FORMAT csv, HEADER true)");
        FileFacts result;
        try
        {
            var buffer = new byte[1 << 20];
            var tenth = 1;
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                facts.Append(buffer.AsSpan(0, read));
                importer.BaseStream.Write(buffer, 0, read);
                if (file.Position >= file.Length * tenth / 10 && file.Position < file.Length)
                {
                    steps.Report($"{table.File}: {10 * (10 * file.Position / file.Length)} % sent");
                    while (file.Position >= file.Length * tenth / 10) tenth++;
                }
            }
            result = facts.Complete();
            plan.Verify(table.File, result);
        }
        catch
        {
            try { importer.Cancel(); } catch (Exception) { /* the connection may already be gone */ }
            throw;
        }
        importer.Dispose();
        return result;
    }

    public void RecordFailure(LoadPlan plan)
    {
        var none = new TableCounts(0, 0);
        try
        {
            if (_connection.State == System.Data.ConnectionState.Open)
                _connection.Execute(LoadLedger.InsertSql(Schema, plan, new LoadCounts(none, none, none), LoadLedger.Failed,
                    DateTimeOffset.UtcNow));
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { /* best effort */ }
    }

    private T Guard<T>(Func<T> work)
    {
        try { return work(); }
        catch (Exception e) when (e is NpgsqlException or TimeoutException) { throw new WarehouseException(Explain(e, Settings), e); }
    }

    /// <summary>
    /// Releases the schema's lock before the connection goes back to Npgsql's pool: a pooled session keeps its
    /// advisory locks until it is reused. A broken connection needs nothing: the server ended the session.
    /// </summary>
    public void Dispose()
    {
        try
        {
            if (_connection.State == System.Data.ConnectionState.Open) _connection.Execute("SELECT pg_advisory_unlock_all()");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { /* the session is gone, and its locks with it */ }
        _connection.Dispose();
    }
}
