using System.Globalization;
using System.Text;
using System.Threading.Channels;
using CsvHelper;
using GameData.Loading;
using GameData.Files;
using GameData.Warehouses.Snowflake.Streaming;

namespace GameData.Warehouses.Snowflake;

/// <summary>
/// The production warehouse, over the SQL API. A transaction cannot span requests, so a load fills
/// TRANSIENT staging tables with many chunked <c>INSERT ... SELECT ... FROM VALUES</c> requests (several in
/// flight), then moves the batch into the RAW tables and writes the ledger row in one multi-statement
/// <c>BEGIN ... COMMIT</c> request. The staging tables are dropped afterwards, also after a failure.
/// Loads and resets into one schema take turns on a row of <see cref="LockTable"/> (the SQL API has no
/// advisory lock): taken by one UPDATE, checked again inside the final transaction, released there.
/// </summary>
public sealed class SnowflakeWarehouse : IWarehouse
{
    public const string LockTable = "_LOCK";
    /// <summary>How long a lock whose holder died blocks others.</summary>
    private const int LockHours = 2;

    private readonly SnowflakeStatementClient _client;
    private readonly SnowflakeSettings _snowflake;
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    private bool _locked;

    public SnowflakeWarehouse(WarehouseSettings settings, SnowflakeStatementClient client)
    {
        Settings = settings;
        _snowflake = settings.Snowflake!;
        _client = client;
    }

    /// <param name="lockTimeout">
    /// Take the schema's lock, waiting up to this long (zero: not at all); null: do not lock (migrations).
    /// </param>
    public static SnowflakeWarehouse Open(WarehouseSettings settings, RetryPolicy? retry = null, TimeSpan? lockTimeout = null,
        Action<string>? waiting = null)
    {
        var snowflake = settings.Snowflake!;
        var warehouse = new SnowflakeWarehouse(settings,
            new SnowflakeStatementClient(snowflake.ApiUrl, snowflake.Credential(), snowflake.Context(settings.Schema), retry));
        try
        {
            if (lockTimeout is { } timeout) warehouse.TakeLock(timeout, waiting ?? (_ => { }));
            return warehouse;
        }
        catch
        {
            warehouse.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One UPDATE takes the lock row when it is free or its holder's time ran out; Snowflake runs it atomically.
    /// Polled, so waiting can be reported and zero means "do not wait". A schema migrated before the lock table
    /// existed has none: it is migrated by MigrateRaw, which every chain runs first.
    /// </summary>
    private void TakeLock(TimeSpan timeout, Action<string> waiting)
    {
        try { TakeLock(timeout, waiting, $"{Schema}.{LockTable}"); }
        catch (SnowflakeException e) { throw new WarehouseException(e.Message, e); }
    }

    private void TakeLock(TimeSpan timeout, Action<string> waiting, string table)
    {
        if (Number(Execute($"SELECT count(*) FROM information_schema.tables WHERE upper(table_schema) = upper('{Schema}') " +
                $"AND upper(table_name) = '{LockTable}'").Rows[0][0]) == 0)
            return;
        string?[]? holder = null;
        LockWait.Until(() =>
            {
                if (_client.ExecuteAsync($"UPDATE {table} SET HOLDER = '{_holder}', SINCE = CURRENT_TIMESTAMP(), " +
                                         $"EXPIRES = DATEADD(hour, {LockHours}, CURRENT_TIMESTAMP()) " +
                                         "WHERE NAME = 'load' AND (HOLDER IS NULL OR EXPIRES < CURRENT_TIMESTAMP())")
                        .GetAwaiter().GetResult().RowsUpdated > 0) return true;
                holder = Execute($"SELECT HOLDER, SINCE FROM {table} WHERE NAME = 'load'").Rows.FirstOrDefault();
                return false;
            }, timeout, TimeSpan.FromMilliseconds(500), waiting,
            () => $"another load or reset ({holder?[0]}) holds the lock {table}; waiting up to {timeout.TotalSeconds:0} s",
            () => $"another load or reset ({holder?[0]}, since {holder?[1]}) still holds the lock {table} after " +
                  $"{timeout.TotalSeconds:0} s; try again when it has finished (a holder that died frees it after {LockHours} hours)");
        _locked = true;
    }

    public WarehouseSettings Settings { get; }

    public string Describe() => Settings.Describe();

    public SnowflakeStatementClient Client => _client;

    private string Schema => Settings.Schema;

    /// <summary>Both questions at once (one round trip): the state's answer counts only when the tables exist.</summary>
    public RawState? ReadState() => Run(() =>
    {
        var state = _client.ExecuteAsync(LoadLedger.StateSql(Schema));
        try
        {
            return Number(Execute(LoadLedger.TablesSql(Schema)).Rows[0][0]) < LoadLedger.MigratedTables ? null
                : LoadLedger.StateFrom(state.GetAwaiter().GetResult().Rows[0]);
        }
        finally
        {
            try { state.Wait(); }
            catch (AggregateException) { /* its tables do not exist, or the first question's failure says enough */ }
        }
    });

    public LoadCounts Load(LoadPlan plan, IProgress<string> steps, CancellationToken cancellation) => Run(() =>
    {
        var stages = RawSchema.Tables.ToDictionary(t => t, t => $"{Schema}.{StageName(plan, t)}");
        SnowpipeStreamingStager? streaming = null;
        Task? channelsDropped = null;
        Task? stagesDropped = null;
        try
        {
            steps.Report("creating the staging tables");
            // The streaming connection (ingest host, scoped token) is made meanwhile: two round trips fewer to wait for.
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var connecting = Task.Run(() => StreamingStager(plan, steps, connection.Token), connection.Token);
            try
            {
                Execute(string.Join(";\n", RawSchema.Tables.Select(t => $"CREATE TRANSIENT TABLE {stages[t]} ({StageColumns(t)})")),
                    multiStatement: true);
            }
            catch
            {
                connection.Cancel(); // the failure to report is this one, at once
                throw;
            }
            finally
            {
                // Reading Exception observes a failure of the connection's that the one above replaces.
                streaming = connecting.ContinueWith(c => c.Exception is null && c.IsCompletedSuccessfully ? c.Result : null)
                    .GetAwaiter().GetResult();
            }
            if (streaming is null) connecting.GetAwaiter().GetResult(); // its failure, if it failed
            foreach (var (table, (sent, facts)) in Staged(plan, stages, streaming, steps, cancellation))
            {
                plan.Verify(table.File, facts);
                if (sent != plan.RowsIn(table.File))
                    throw new WarehouseException(
                        $"{table.File}: Snowflake staged {sent:N0} rows of {plan.RowsIn(table.File):N0}; nothing was loaded");
            }
            steps.Report("moving the batch into the RAW tables (one transaction)");
            // Every row is committed: the channels go while the batch moves, and the staging tables while the counts are read.
            channelsDropped = streaming?.DropChannelsAsync() ?? Task.CompletedTask;
            Execute(CommitSql(plan, stages), multiStatement: true, cancellation);
            channelsDropped.GetAwaiter().GetResult();
            stagesDropped = Task.Run(() => DropQuietly(stages.Values));
            var counts = Execute($"SELECT PLAYERS_INSERTED, PLAYERS_SKIPPED, SESSIONS_INSERTED, SESSIONS_SKIPPED, EVENTS_INSERTED, " +
                                 $"EVENTS_SKIPPED FROM {Schema}.{RawSchema.Ledger} WHERE LOAD_ID = '{plan.LoadId}'")
                .Rows[0].Select(Number).ToArray();
            return new LoadCounts(new(counts[0], counts[1]), new(counts[2], counts[3]), new(counts[4], counts[5]));
        }
        finally
        {
            // Channels first: they write into the staging tables. Each is dropped once; a drop under way is waited for.
            (channelsDropped ?? streaming?.DropChannelsAsync())?.GetAwaiter().GetResult();
            if (stagesDropped is null) DropQuietly(stages.Values);
            else stagesDropped.GetAwaiter().GetResult();
        }
    });

    /// <summary>
    /// A staging table, unqualified. A plain TRANSIENT table rather than a temporary one: the SQL API gives every request
    /// a session of its own (a temporary table would vanish with it), and Snowpipe Streaming's default pipe needs a table
    /// that outlives any session. Its columns are the RAW table's, so the default pipe matches the NDJSON keys by name.
    /// </summary>
    private static string StageName(LoadPlan plan, RawTable table) => $"_STAGE_{plan.LoadId[^6..].ToUpperInvariant()}_{table.Name}";

    private (long, FileFacts) StageBySql(
        LoadPlan plan, RawTable table, string stage, IProgress<string> steps, CancellationToken cancellation)
    {
        steps.Report($"{table.File}: sending {plan.RowsIn(table.File):N0} rows to {stage}");
        return Stage(plan.PathOf(table.File), table, stage, cancellation).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Each file staged: over the SQL API one after another (a file that fails stops the next); through Snowpipe Streaming
    /// all three at once, as their channels are independent and each file's round trips (open, the last commit) overlap.
    /// </summary>
    private IEnumerable<(RawTable Table, (long Sent, FileFacts Facts) Staged)> Staged(LoadPlan plan, Dictionary<RawTable, string> stages,
        SnowpipeStreamingStager? streaming, IProgress<string> steps, CancellationToken cancellation)
    {
        if (streaming is null)
        {
            foreach (var table in RawSchema.Tables) yield return (table, StageBySql(plan, table, stages[table], steps, cancellation));
            yield break;
        }
        var staged = Task.WhenAll(RawSchema.Tables.Select(table =>
        {
            var stage = StageName(plan, table);
            var channels = StreamingOptions.ChannelsPerTable;
            steps.Report($"{table.File}: streaming {plan.RowsIn(table.File):N0} rows to {Schema}.{stage} over {channels} channels");
            return streaming.StageAsync(plan.PathOf(table.File), table, stage, plan.RowsIn(table.File), cancellation);
        })).GetAwaiter().GetResult();
        for (var i = 0; i < staged.Length; i++) yield return (RawSchema.Tables[i], staged[i]);
    }

    /// <summary>How streaming loads pace themselves; tests shorten the polls.</summary>
    public StreamingOptions StreamingOptions { get; set; } = new();

    /// <summary>The HTTP handler for Snowpipe Streaming (tests route an ingest host to the local server); null: the default.</summary>
    public HttpMessageHandler? StreamingHandler { get; set; }

    /// <summary>The last load's Snowpipe Streaming client (requests and bytes sent), or null when it used the SQL path.</summary>
    public SnowpipeStreamingClient? StreamingClient { get; private set; }

    /// <summary>
    /// Decides the path (<see cref="SnowflakeIngest"/>) and says which in one line; for streaming, connects (ingest host and
    /// scoped token). Null: the SQL path.
    /// </summary>
    private SnowpipeStreamingStager? StreamingStager(LoadPlan plan, IProgress<string> steps, CancellationToken cancellation)
    {
        StreamingClient?.Dispose();
        StreamingClient = null;
        var client = IngestChoice.Connect(_snowflake, _client.Credential, _client.Retry, StreamingHandler, steps, cancellation);
        if (client is null) return null;
        StreamingClient = client;
        var run = $"{plan.LoadId[^6..]}_{Guid.NewGuid().ToString("N")[..8]}".ToUpperInvariant();
        var options = StreamingOptions with { ChannelsPerTable = Math.Min(StreamingOptions.ChannelsPerTable, _snowflake.RequestsInFlight) };
        return new SnowpipeStreamingStager(client, options, _snowflake.Database.ToUpperInvariant(), Schema.ToUpperInvariant(), run, steps);
    }

    private static string StageColumns(RawTable table) =>
        string.Join(", ", table.Columns.Select(c => c == "PROPERTIES" ? "PROPERTIES VARIANT" : $"{c} VARCHAR"));

    /// <summary>
    /// Streams a CSV file into chunked INSERT requests, several in flight. Returns the rows Snowflake reports
    /// inserted, and the SHA-256 of the file's bytes and the rows as read.
    /// </summary>
    private async Task<(long Inserted, FileFacts Facts)> Stage(string path, RawTable table, string stage, CancellationToken cancellation)
    {
        var chunks = Channel.CreateBounded<string>(_snowflake.RequestsInFlight * 2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        long inserted = 0;
        var senders = Enumerable.Range(0, _snowflake.RequestsInFlight).Select(_ => Task.Run(async () =>
        {
            await foreach (var sql in chunks.Reader.ReadAllAsync(stop.Token))
                Interlocked.Add(ref inserted, (await _client.ExecuteAsync(sql, null, stop.Token)).RowsInserted);
        }, stop.Token)).ToList();

        FileFacts facts;
        try
        {
            using var bytes = new InspectingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                FileOptions.SequentialScan));
            using (var csv = CsvReader.Create(bytes, new CsvReaderOptions { HasHeader = false }, leaveOpen: true))
            {
                var chunk = new ValuesChunk(table, stage, _snowflake.ChunkRows, _snowflake.ChunkBytes);
                var header = true;
                var rows = 0L;
                while (csv.Read())
                {
                    if (header) { header = false; continue; }
                    rows++;
                    var row = new string[table.Columns.Length];
                    for (var i = 0; i < row.Length; i++) row[i] = csv.GetString(i);
                    if (!chunk.TryAdd(row))
                    {
                        await chunks.Writer.WriteAsync(chunk.Sql(), stop.Token);
                        chunk = new ValuesChunk(table, stage, _snowflake.ChunkRows, _snowflake.ChunkBytes);
                        if (!chunk.TryAdd(row)) throw new WarehouseException(
                            $"{Path.GetFileName(path)}: a row is longer than one request may be ({_snowflake.ChunkBytes:N0} bytes)");
                    }
                    if (senders.FirstOrDefault(s => s.IsFaulted) is { } failed) await failed; // stop reading early
                }
                if (!chunk.IsEmpty) await chunks.Writer.WriteAsync(chunk.Sql(), stop.Token);
                while (bytes.Read(new byte[1 << 16]) > 0) { }
                facts = new FileFacts(bytes.Sha256(), rows);
            }
            chunks.Writer.Complete();
            await Task.WhenAll(senders);
        }
        catch
        {
            chunks.Writer.TryComplete();
            await stop.CancelAsync();
            // The first real failure, not the cancellations it caused.
            var failure = senders.Where(s => s.IsFaulted).Select(s => s.Exception!.InnerException)
                .FirstOrDefault(e => e is not OperationCanceledException);
            try { await Task.WhenAll(senders); } catch (Exception) { /* reported below */ }
            if (failure is not null) throw failure;
            throw;
        }
        return (inserted, facts);
    }

    /// <summary>The request that makes the batch visible: all or nothing.</summary>
    private string CommitSql(LoadPlan plan, Dictionary<RawTable, string> stages)
    {
        var sql = new StringBuilder("BEGIN TRANSACTION;\n");
        // Still ours? A division by zero if not: the request stops and the transaction goes with its session.
        if (_locked) sql.Append($"SELECT 1 / (SELECT count(*) FROM {Schema}.{LockTable} WHERE NAME = 'load' AND HOLDER = '{_holder}');\n");
        if (plan.Mode == LoadMode.Recreate)
            foreach (var table in RawSchema.Tables.Reverse()) sql.Append($"DELETE FROM {Schema}.{table.Name};\n");
        foreach (var table in RawSchema.Tables)
        {
            sql.Append($"INSERT INTO {Schema}.{table.Name} ({table.ColumnList}, _BATCH_ID, _LOAD_ID, _LOADED_AT) " +
                       $"SELECT {string.Join(", ", table.Columns.Select(c => $"st.{c}"))}, {plan.Batch}, '{plan.LoadId}', " +
                       $"CURRENT_TIMESTAMP() FROM {stages[table]} AS st");
            if (plan.Mode == LoadMode.Append)
                sql.Append($" WHERE NOT EXISTS (SELECT 1 FROM {Schema}.{table.Name} AS existing " +
                           $"WHERE existing.{table.Key} = st.{table.Key})");
            sql.Append(";\n");
        }
        string Inserted(RawTable t) => $"(SELECT count(*) FROM {Schema}.{t.Name} WHERE _LOAD_ID = '{plan.LoadId}')";
        var counts = string.Join(", ", RawSchema.Tables.SelectMany(t => new[] { Inserted(t), $"{plan.RowsIn(t.File)} - {Inserted(t)}" }));
        sql.Append(LedgerInsert(plan, counts, LoadLedger.Succeeded)).Append(";\n");
        if (_locked) sql.Append($"{ReleaseSql()};\n");
        return sql.Append("COMMIT").ToString();
    }

    /// <summary>PARSE_JSON is not allowed in INSERT ... VALUES, so the ledger row is an INSERT ... SELECT.</summary>
    private string LedgerInsert(LoadPlan plan, string counts, string status)
    {
        return $"INSERT INTO {Schema}.{RawSchema.Ledger} ({LoadLedger.Columns}) " +
               $"SELECT '{plan.LoadId}', {plan.Batch}, '{plan.Mode.ToString().ToLowerInvariant()}', " +
               $"PARSE_JSON({SnowflakeSqlLiteral.Quote(LoadLedger.FilesJson(plan))}), {counts}, " +
               $"'{plan.StartedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffff}Z'::TIMESTAMP_TZ, CURRENT_TIMESTAMP(), '{status}'";
    }

    public void RecordFailure(LoadPlan plan)
    {
        try { Execute(LedgerInsert(plan, "0, 0, 0, 0, 0, 0", LoadLedger.Failed)); }
        catch (Exception e) when (e is SnowflakeException or HttpRequestException or OperationCanceledException) { /* best effort */ }
    }

    private void DropQuietly(IEnumerable<string> stages)
    {
        try { Execute(string.Join(";\n", stages.Select(s => $"DROP TABLE IF EXISTS {s}")), multiStatement: true); }
        catch (Exception e) when (e is SnowflakeException or HttpRequestException or OperationCanceledException)
        {
            /* transient tables; best effort */
        }
    }

    private StatementResult Execute(string sql, bool multiStatement = false, CancellationToken cancellation = default) =>
        _client.ExecuteAsync(sql, multiStatement ? new StatementOptions(MultiStatementCount: 0) : null, cancellation)
            .GetAwaiter().GetResult();

    private static T Run<T>(Func<T> work)
    {
        try { return work(); }
        catch (SnowflakeException e) { throw new WarehouseException(e.Message, e); }
    }

    private static long Number(string? text) => text is null ? 0 : long.Parse(text, CultureInfo.InvariantCulture);

    private string ReleaseSql() =>
        $"UPDATE {Schema}.{LockTable} SET HOLDER = NULL, SINCE = NULL, EXPIRES = NULL WHERE NAME = 'load' AND HOLDER = '{_holder}'";

    public void Dispose()
    {
        if (_locked)
        {
            try { Execute(ReleaseSql()); }
            catch (Exception e) when (e is SnowflakeException or HttpRequestException or OperationCanceledException) { /* it expires */ }
        }
        _client.Dispose();
        StreamingClient?.Dispose();
    }

    /// <summary>
    /// An empty field is NULL, as DuckDB and PostgreSQL read an empty CSV field. Properties that are not JSON
    /// (declared defects) are kept as a string VARIANT rather than failing the load.
    /// </summary>
    private static string PropertiesValue(string column) =>
        $"COALESCE(TRY_PARSE_JSON(NULLIF({column}, '')), TO_VARIANT(NULLIF({column}, '')))";

    /// <summary>One INSERT request's worth of rows: under the byte and row limits.</summary>
    private sealed class ValuesChunk(RawTable table, string stage, int maxRows, int maxBytes)
    {
        private readonly StringBuilder _values = new();
        private readonly string _prefix =
            $"INSERT INTO {stage} ({table.ColumnList}) SELECT " +
            string.Join(", ", table.Columns.Select((c, i) => c == "PROPERTIES" ? PropertiesValue($"column{i + 1}")
                : $"NULLIF(column{i + 1}, '')")) +
            " FROM VALUES ";
        private int _rows;
        private int _bytes;

        public bool IsEmpty => _rows == 0;

        public bool TryAdd(string[] row)
        {
            var tuple = new StringBuilder("(");
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0) tuple.Append(", ");
                SnowflakeSqlLiteral.Append(tuple, row[i]);
            }
            tuple.Append(')');
            var size = Encoding.UTF8.GetByteCount(tuple.ToString()) + 2;
            if (_rows > 0 && (_rows == maxRows || Encoding.UTF8.GetByteCount(_prefix) + _bytes + size > maxBytes)) return false;
            if (_rows == 0 && Encoding.UTF8.GetByteCount(_prefix) + size > maxBytes) return false;
            if (_rows > 0) _values.Append(",\n");
            _values.Append(tuple);
            _rows++;
            _bytes += size;
            return true;
        }

        public string Sql() => _prefix + _values;
    }
}
