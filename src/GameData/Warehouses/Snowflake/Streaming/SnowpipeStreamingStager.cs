using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading.Channels;
using CsvHelper;
using GameData.Files;
using GameData.Loading;

namespace GameData.Warehouses.Snowflake.Streaming;

/// <summary>
/// Fills a staging table through Snowpipe Streaming: the CSV is read as a stream and cut into NDJSON batches (keys are
/// the staging table's column names, so its default pipe <c>&lt;TABLE&gt;-STREAMING</c> takes them as they are), spread
/// over several channels with one append in flight each. Offset tokens are row numbers, so a reopened channel (after a
/// 409, a stale continuation token or a dropped connection) says which rows it committed and sends the next ones again:
/// none twice, none skipped. A channel keeps its uncommitted batches for that, and waits for commits past a bound, so
/// memory stays flat. The stage is done when every channel's committed offset reached its last row and no row was
/// rejected (ON_ERROR is CONTINUE: a rejected row is only counted in <c>rows_error_count</c>).
/// </summary>
internal sealed class SnowpipeStreamingStager(
    SnowpipeStreamingClient client, StreamingOptions options, string database, string schema, string run, IProgress<string> steps)
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ConcurrentBag<ChannelName> _opened = [];

    /// <summary>Streams one file into its staging table; returns the rows committed and the file's facts.</summary>
    public async Task<(long Rows, FileFacts Facts)> StageAsync(string path, RawTable table, string stage, long expected,
        CancellationToken cancellation)
    {
        var progress = new Progress(table.File, expected, steps);
        var buffers = new ConcurrentBag<ArrayBufferWriter<byte>>();
        var writers = Enumerable.Range(1, options.ChannelsPerTable)
            .Select(i => new ChannelWriter(client, options, new ChannelName(database, schema, $"{stage}-STREAMING",
                $"GAMEDATA_{run}_{i}"), progress, buffers))
            .ToList();
        var batches = Channel.CreateBounded<RowBatch>(writers.Count);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // The file is read while the channels open: the first batches are ready when the channels are.
        var opened = Task.WhenAll(writers.Select(async w =>
        {
            _opened.Add(w.Name);
            await w.OpenAsync(stop.Token);
        }));
        // The first sender to fail stops the reader and the others, also while the reader waits for room in the queue.
        Exception? failure = null;
        var senders = writers.Select(w => Task.Run(async () =>
        {
            try
            {
                await opened;
                await w.RunAsync(batches.Reader, stop.Token);
            }
            catch (Exception e)
            {
                // A cancellation the stop caused is not a failure of its own.
                if (e is not OperationCanceledException || !stop.IsCancellationRequested) Interlocked.CompareExchange(ref failure, e, null);
                await stop.CancelAsync();
                throw;
            }
        }, stop.Token)).ToList();
        FileFacts facts;
        try
        {
            facts = await Read(path, table, batches.Writer, buffers, stop.Token);
            batches.Writer.Complete();
            await Task.WhenAll(senders);
        }
        catch (Exception e)
        {
            batches.Writer.TryComplete();
            await stop.CancelAsync();
            try { await Task.WhenAll(senders); } catch (Exception) { /* reported below */ }
            try { await opened; } catch (Exception) { /* a sender reports it */ }
            // The reader's own failure, unless it is the cancellation a sender's failure caused.
            if (e is OperationCanceledException && failure is not null) ExceptionDispatchInfo.Throw(failure);
            throw;
        }
        steps.Report($"{table.File}: all {facts.Rows:N0} rows sent; waiting for Snowflake to commit them");
        var errors = await AwaitCommits(table.File, writers, progress, cancellation);
        if (errors > 0)
            throw new SnowflakeException(
                $"{table.File}: Snowpipe Streaming rejected {errors:N0} rows (rows_error_count); nothing was loaded");
        steps.Report($"{table.File}: {progress.Committed:N0} rows committed");
        return (progress.Committed, facts);
    }

    /// <summary>Reads the file, row by row, into batches; returns the SHA-256 of its bytes and the rows read.</summary>
    private async Task<FileFacts> Read(string path, RawTable table, ChannelWriter<RowBatch> batches,
        ConcurrentBag<ArrayBufferWriter<byte>> buffers, CancellationToken cancellation)
    {
        using var bytes = new InspectingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.SequentialScan));
        using var csv = CsvReader.Create(bytes, new CsvReaderOptions { HasHeader = false }, leaveOpen: true);
        var names = table.Columns.Select(c => JsonEncodedText.Encode(c, Relaxed.Encoder)).ToArray();
        var properties = Array.IndexOf(table.Columns, "PROPERTIES");
        // Room for a batch and the row that ends it, in a buffer whose rows were committed when there is one: fresh
        // arrays cost page faults and collections, and the batches alive are bounded (see ChannelWriter) anyway.
        ArrayBufferWriter<byte> Buffer() => buffers.TryTake(out var free) ? free : new(options.BatchBytes + (1 << 16));
        var ndjson = Buffer();
        var starts = new List<int> { 0 };
        var json = new Utf8JsonWriter(ndjson, Relaxed);
        var header = true;
        var rows = 0L;
        var first = 1L;
        while (csv.Read())
        {
            if (header) { header = false; continue; }
            rows++;
            json.Reset(ndjson);
            Row(json, names, properties, csv);
            json.Flush();
            ndjson.Write("\n"u8);
            starts.Add(ndjson.WrittenCount);
            if (ndjson.WrittenCount >= options.BatchBytes)
            {
                await batches.WriteAsync(new RowBatch(first, ndjson, [.. starts]), cancellation);
                (ndjson, starts, first) = (Buffer(), [0], rows + 1);
            }
        }
        if (starts.Count > 1) await batches.WriteAsync(new RowBatch(first, ndjson, [.. starts]), cancellation);
        while (bytes.Read(new byte[1 << 16]) > 0) { }
        return new FileFacts(bytes.Sha256(), rows);
    }

    /// <summary>
    /// One row as a JSON object keyed by the staging table's columns. An empty field is null, as the SQL path's NULLIF;
    /// PROPERTIES goes as JSON when it is JSON, else as a string (declared defects), as the SQL path's TRY_PARSE_JSON.
    /// The CSV's UTF-8 bytes are written as they are, without a string per field (the reader's main cost otherwise).
    /// </summary>
    private static void Row(Utf8JsonWriter json, JsonEncodedText[] names, int properties, CsvReader csv)
    {
        json.WriteStartObject();
        for (var i = 0; i < names.Length; i++)
        {
            var value = csv.GetSpan(i);
            json.WritePropertyName(names[i]);
            // Bytes that are not UTF-8 go as the SQL path sends them: decoded, each bad sequence replaced.
            if (!Utf8.IsValid(value)) value = Encoding.UTF8.GetBytes(csv.GetString(i));
            if (value.Length == 0) json.WriteNullValue();
            else if (i != properties) json.WriteStringValue(value);
            else
                try { json.WriteRawValue(value); }
                catch (JsonException) { json.WriteStringValue(value); } // validated before anything is written
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// Polls the channels' status until each committed its last row; returns the rows they rejected. The first polls come
    /// sooner (50 ms, doubling up to the poll interval): the last append is often committed within a round trip or two.
    /// </summary>
    private async Task<long> AwaitCommits(string file, List<ChannelWriter> writers, Progress progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var wait = TimeSpan.FromMilliseconds(Math.Min(50, options.Poll.TotalMilliseconds));
        var names = writers.Select(w => w.Name.Name).ToList();
        while (true)
        {
            var statuses = await client.StatusAsync(writers[0].Name.PipePath, names, cancellation);
            foreach (var writer in writers)
                if (statuses.TryGetValue(writer.Name.Name, out var status)) writer.Committed(status.LastCommittedOffset);
            if (writers.All(w => w.Done))
                return writers.Sum(w => statuses.TryGetValue(w.Name.Name, out var status) ? status.RowsErrorCount : 0);
            if (clock.Elapsed > options.CommitWait)
                throw new SnowflakeException($"{file}: Snowflake committed {progress.Committed:N0} of {progress.Sent:N0} rows " +
                                             $"in {options.CommitWait.TotalSeconds:N0} s; nothing was loaded");
            await Task.Delay(wait, cancellation);
            wait = wait * 2 < options.Poll ? wait * 2 : options.Poll;
        }
    }

    /// <summary>Drops every channel this load opened; best effort (unused channels are removed after 30 days anyway).</summary>
    public async Task DropChannelsAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Task.WhenAll(_opened.Select(async channel =>
        {
            try { await client.DropAsync(channel, limit.Token); }
            catch (Exception e) when (e is SnowflakeException or ChannelLostException or HttpRequestException
                                          or OperationCanceledException) { }
        }));
    }

    /// <summary>Rows sent and committed for one file, and its progress lines at each tenth sent.</summary>
    private sealed class Progress(string file, long expected, IProgress<string> steps)
    {
        private readonly Lock _gate = new();
        private long _sent;
        private long _committed;
        private int _tenths;

        public long Sent => Interlocked.Read(ref _sent);
        public long Committed => Interlocked.Read(ref _committed);

        public void AddCommitted(long rows) => Interlocked.Add(ref _committed, rows);

        public void AddSent(long rows)
        {
            lock (_gate)
            {
                _sent += rows;
                // One line for the highest tenth reached (a small file reaches several at once).
                var tenths = expected > 0 ? (int)Math.Min(9, _sent * 10 / expected) : 0;
                if (tenths <= _tenths) return;
                _tenths = tenths;
                steps.Report($"{file}: {_tenths * 10}% sent ({_sent:N0} rows), {Committed:N0} committed");
            }
        }
    }

    /// <summary>One channel: appends its batches in order, one at a time, and resends what a reopen says is not committed.</summary>
    private sealed class ChannelWriter(SnowpipeStreamingClient client, StreamingOptions options, ChannelName name, Progress progress,
        ConcurrentBag<ArrayBufferWriter<byte>> buffers)
    {
        private readonly List<RowBatch> _unconfirmed = [];
        private int _sent; // of _unconfirmed, since the channel was (re)opened
        private string _continuation = "";
        private long _committed;
        private long _highestSent;
        private int _reopens;
        private long _lastAppend;

        public ChannelName Name => name;

        public bool Done => _unconfirmed.Count == 0;

        public async Task OpenAsync(CancellationToken cancellation)
        {
            var opened = await client.OpenAsync(name, cancellation);
            _continuation = opened.ContinuationToken;
            Committed(opened.Status.LastCommittedOffset);
            _sent = 0;
        }

        public async Task RunAsync(ChannelReader<RowBatch> batches, CancellationToken cancellation)
        {
            await foreach (var batch in batches.ReadAllAsync(cancellation))
            {
                _unconfirmed.Add(batch);
                await SendPending(cancellation);
                // Past the bound, wait for commits: asked at once (they are often there already), then every poll.
                while (_unconfirmed.Sum(b => b.Bytes) > options.UnconfirmedBytesPerChannel)
                {
                    var status = await client.StatusAsync(name.PipePath, [name.Name], cancellation);
                    if (status.TryGetValue(name.Name, out var mine)) Committed(mine.LastCommittedOffset);
                    if (_unconfirmed.Sum(b => b.Bytes) > options.UnconfirmedBytesPerChannel) await Task.Delay(options.Poll, cancellation);
                }
            }
        }

        /// <summary>Takes a committed offset: drops the batches (or rows) it covers from those kept for a resend.</summary>
        public void Committed(long? offset)
        {
            if (offset is not { } committed || committed <= _committed) return;
            _committed = committed;
            var before = _unconfirmed.Sum(b => (long)b.Rows);
            var kept = _unconfirmed.Select(b => b.After(committed)).OfType<RowBatch>().ToList();
            _sent -= _unconfirmed.Count - kept.Count;
            if (_sent < 0) _sent = 0;
            // A buffer no kept batch (or slice) shares goes back for the reader to fill again.
            foreach (var buffer in _unconfirmed.Select(b => b.Buffer).Except(kept.Select(b => b.Buffer)))
            {
                buffer.ResetWrittenCount();
                buffers.Add(buffer);
            }
            _unconfirmed.Clear();
            _unconfirmed.AddRange(kept);
            progress.AddCommitted(before - kept.Sum(b => (long)b.Rows));
            _reopens = 0;
        }

        private async Task SendPending(CancellationToken cancellation)
        {
            while (_sent < _unconfirmed.Count)
            {
                var batch = _unconfirmed[_sent];
                var body = batch.Gzip();
                if (body.Length > options.MaxRequestBytes)
                {
                    if (batch.Rows == 1)
                        throw new SnowflakeException(
                            $"row {batch.First:N0} is larger than a request may be ({options.MaxRequestBytes:N0} bytes compressed)");
                    var (left, right) = batch.Halves();
                    _unconfirmed[_sent] = left;
                    _unconfirmed.Insert(_sent + 1, right);
                    continue;
                }
                await Pace(cancellation);
                try
                {
                    _continuation = await client.AppendAsync(name, _continuation, batch.First, batch.Last, body, cancellation);
                    _sent++;
                    if (batch.Last > _highestSent)
                    {
                        progress.AddSent(batch.Last - Math.Max(_highestSent, batch.First - 1));
                        _highestSent = batch.Last;
                    }
                }
                catch (ChannelLostException e)
                {
                    if (++_reopens > options.MaxReopens)
                        throw new SnowflakeException(
                            $"channel {name.Name}: reopened {options.MaxReopens} times without progress ({e.Message})");
                    // Reopening discards the rows not yet committed; the offset it returns says where to resume.
                    await OpenAsync(cancellation);
                }
            }
        }

        /// <summary>At most one append per <see cref="StreamingOptions.AppendInterval"/> on this channel.</summary>
        private async Task Pace(CancellationToken cancellation)
        {
            var wait = options.AppendInterval - Stopwatch.GetElapsedTime(_lastAppend);
            if (_lastAppend != 0 && wait > TimeSpan.Zero) await Task.Delay(wait, cancellation);
            _lastAppend = Stopwatch.GetTimestamp();
        }
    }
}
