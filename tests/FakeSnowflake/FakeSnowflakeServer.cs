using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace FakeSnowflake;

/// <summary>One request as the server saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string? RequestId, bool Retry, IReadOnlyDictionary<string, string> Headers,
    string? Statement, JsonNode? Body, string? Partition)
{
    /// <summary>The body as it came over the wire (compressed, if it was).</summary>
    public byte[] Wire { get; init; } = [];

    /// <summary>Whether the body came gzip-compressed (Content-Encoding: gzip).</summary>
    public bool Gzip { get; init; }

    /// <summary>
    /// The body's bytes, after gzip is undone: inflated when first asked for (an append is only scanned, see
    /// <see cref="Lines"/>, and goes to DuckDB compressed).
    /// </summary>
    public byte[] Bytes => field ??= Gzip ? Inflate() : Wire;

    /// <summary>The body as text (NDJSON, a form).</summary>
    public string Text => field ??= Encoding.UTF8.GetString(Bytes);

    /// <summary>The query string's values.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>Bytes of the body as they came over the wire (compressed, if they were).</summary>
    public long WireBytes => Wire.Length;

    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : "";

    /// <summary>The line feeds in the body, and whether it ends with one; inflated through a small buffer, not kept.</summary>
    public (int Lines, bool EndsWithLineFeed) Lines()
    {
        if (!Gzip) return (Wire.AsSpan().Count((byte)'\n'), Wire is [.., (byte)'\n']);
        using var gzip = new GZipStream(new MemoryStream(Wire), CompressionMode.Decompress);
        var buffer = new byte[1 << 16];
        var (lines, last) = (0, -1);
        for (int read; (read = gzip.Read(buffer)) > 0; last = buffer[read - 1]) lines += buffer.AsSpan(0, read).Count((byte)'\n');
        return (lines, last == '\n');
    }

    private byte[] Inflate()
    {
        using var gzip = new GZipStream(new MemoryStream(Wire), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }
}

/// <summary>A programmed answer: a status and JSON body, or a dropped connection.</summary>
public sealed record FakeResponse(int Status, JsonNode? Body = null, bool DropConnection = false, string? RetryAfterSeconds = null)
{
    /// <summary>A body sent as it is (text/plain) instead of <see cref="Body"/>.</summary>
    public string? RawText { get; init; }
}

/// <summary>
/// A local HTTP server on 127.0.0.1 that plays Snowflake's SQL API v2 from its documented shapes:
/// 200 with <c>resultSetMetaData</c>/<c>data</c>/<c>stats</c>, 422 errors, requestId de-duplication on
/// <c>retry=true</c>. Tests can intercept any request to answer 202, 429, 503, partitions or a dropped
/// connection; everything else runs on <see cref="FakeWarehouse"/>. Optional latency per response.
/// </summary>
public sealed class FakeSnowflakeServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, FakeResponse> _byRequestId = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly TimeSpan _latency;
    private int _executions;

    public FakeSnowflakeServer(TimeSpan? latency = null)
    {
        _latency = latency ?? TimeSpan.Zero;
        // A port free a moment ago may be taken before the listener binds it (an outgoing connection of another test
        // gets it as its ephemeral port): then another one.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            _listener = new HttpListener();
            // Any host name: a test may route an ingest host name (say, one that had underscores) to this server.
            _listener.Prefixes.Add($"http://+:{port}/");
            try
            {
                _listener.Start();
                Url = new Uri($"http://127.0.0.1:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Close();
            }
        }
        Streaming = new FakeStreaming(this, Warehouse);
        _ = Task.Run(AcceptLoop);
    }

    public Uri Url { get; }
    public FakeWarehouse Warehouse { get; } = new();

    /// <summary>Snowpipe Streaming's endpoints, and the faults tests select.</summary>
    public FakeStreaming Streaming { get; }

    /// <summary>Return a response to answer a request yourself, or null to let the server answer it.</summary>
    public Func<RecordedRequest, FakeResponse?>? Intercept { get; set; }

    /// <summary>Statements actually run (a retried requestId that already ran is not run again).</summary>
    public int Executions => _executions;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>
    /// Whether <see cref="Requests"/> keeps every request, bodies included (the tests read them). A benchmark turns it
    /// off: a large load's statements would otherwise stay on the heap it measures.
    /// </summary>
    public bool KeepRequests { get; init; } = true;

    public long BytesReceived;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        try
        {
            var request = await Record(context.Request);
            var response = Intercept?.Invoke(request) ?? Answer(request);
            if (_latency > TimeSpan.Zero) await Task.Delay(_latency);
            if (response.DropConnection)
            {
                // Promise a body, send part of it, and hang up: the client sees the connection fail mid-answer.
                context.Response.StatusCode = 200;
                context.Response.ContentLength64 = 1000;
                await context.Response.OutputStream.WriteAsync("{\"code\":"u8.ToArray());
                await context.Response.OutputStream.FlushAsync();
                context.Response.Abort();
                return;
            }
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.RawText is null ? "application/json" : "text/plain";
            if (response.RetryAfterSeconds is { } after) context.Response.Headers["Retry-After"] = after;
            var bytes = Encoding.UTF8.GetBytes(response.RawText ?? response.Body?.ToJsonString() ?? "");
            // Its length up front: a chunked answer ends with a small write of its own, which Nagle's algorithm holds
            // until the client's delayed ACK (40 ms on every request).
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { /* the client went away */ }
    }

    private async Task<RecordedRequest> Record(HttpListenerRequest request)
    {
        using var wire = new MemoryStream(request.ContentLength64 > 0 ? (int)request.ContentLength64 : 0);
        await request.InputStream.CopyToAsync(wire);
        Interlocked.Add(ref BytesReceived, wire.Length);
        var headers = request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!.ToLowerInvariant(), k => request.Headers[k]!);
        var query = request.QueryString.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.QueryString[k]!);
        var recorded = new RecordedRequest(request.HttpMethod, request.Url!.AbsolutePath, request.QueryString["requestId"],
            request.QueryString["retry"] == "true", headers, null, null, request.QueryString["partition"])
        { Wire = wire.ToArray(), Gzip = headers.GetValueOrDefault("content-encoding") == "gzip", Query = query };
        var isJson = recorded.Wire.Length > 0 && (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) ?? true);
        if (isJson)
        {
            var body = JsonNode.Parse(recorded.Bytes);
            recorded = recorded with { Body = body, Statement = body?["statement"]?.GetValue<string>() };
        }
        if (KeepRequests) _requests.Enqueue(recorded);
        return recorded;
    }

    /// <summary>
    /// Runs a statement once per requestId: a resubmission answers what the first run produced. Public so that
    /// an interceptor can run the statement and then drop the connection.
    /// </summary>
    public FakeResponse Answer(RecordedRequest request)
    {
        if (FakeStreaming.Serves(request)) return Streaming.Answer(request);
        if (request.Method != "POST" || request.Path != "/api/v2/statements")
            return new FakeResponse(404, new JsonObject { ["message"] = $"no such endpoint: {request.Method} {request.Path}" });
        if (request.RequestId is { } id && _byRequestId.TryGetValue(id, out var earlier)) return earlier;
        var response = Run(request);
        if (request.RequestId is { } first) _byRequestId[first] = response;
        return response;
    }

    private FakeResponse Run(RecordedRequest request)
    {
        Interlocked.Increment(ref _executions);
        var statement = request.Statement ?? "";
        var bindings = request.Body?["bindings"]?.AsObject().OrderBy(b => int.Parse(b.Key, CultureInfo.InvariantCulture))
            .Select(b => b.Value?["value"]?.GetValue<string>()).ToList() ?? [];
        var count = request.Body?["parameters"]?["MULTI_STATEMENT_COUNT"]?.ToString() is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : (int?)null;
        var outcome = Warehouse.Execute(statement, bindings, count, request.Body?["schema"]?.GetValue<string>() ?? "RAW");
        var handle = Guid.NewGuid().ToString();
        if (outcome.Error is { } error)
            return new FakeResponse(422, new JsonObject
            {
                ["code"] = error.Code, ["sqlState"] = error.SqlState, ["message"] = error.Message, ["statementHandle"] = handle,
            });
        return new FakeResponse(200, Result(handle, outcome.Columns, outcome.Rows, outcome.RowsInserted, updated: outcome.RowsUpdated));
    }

    /// <summary>A 200 body in the documented shape; <paramref name="partitions"/> > 1 adds partitionInfo.</summary>
    public static JsonObject Result(string handle, string[] columns, List<string?[]> rows, long inserted = 0, int partitions = 1, long updated = 0)
    {
        var data = new JsonArray(rows.Select(r => (JsonNode)new JsonArray(r.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())).ToArray());
        var partitionInfo = new JsonArray(Enumerable.Range(0, partitions).Select(_ => (JsonNode)new JsonObject { ["rowCount"] = rows.Count }).ToArray());
        return new JsonObject
        {
            ["code"] = "090001",
            ["statementHandle"] = handle,
            ["message"] = "Statement executed successfully.",
            ["resultSetMetaData"] = new JsonObject
            {
                ["numRows"] = rows.Count * partitions,
                ["rowType"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["type"] = "text" }).ToArray()),
                ["partitionInfo"] = partitionInfo,
            },
            ["data"] = data,
            ["stats"] = new JsonObject { ["numRowsInserted"] = inserted, ["numRowsUpdated"] = updated },
        };
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
        Warehouse.Dispose();
    }
}
