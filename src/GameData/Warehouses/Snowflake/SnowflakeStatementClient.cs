using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GameData.Warehouses.Snowflake;

/// <summary>Options for one statement request.</summary>
/// <param name="MultiStatementCount">Set for a request holding several statements (0 = any number).</param>
/// <param name="Bindings">Values for <c>?</c> placeholders, sent as TEXT.</param>
public sealed record StatementOptions(int? MultiStatementCount = null, IReadOnlyList<string?>? Bindings = null, int TimeoutSeconds = 3600);

/// <summary>A finished statement: its rows (every partition), columns and, for DML, rows inserted and updated.</summary>
public sealed record StatementResult(string StatementHandle, IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows,
    long RowsInserted, long RowsUpdated = 0);

/// <summary>How hard to try: bounded attempts, exponential backoff with full jitter, capped.</summary>
public sealed record RetryPolicy(int MaxAttempts = 6, TimeSpan? BaseDelay = null, TimeSpan? MaxDelay = null,
    TimeSpan? RequestTimeout = null)
{
    public TimeSpan Delay(int attempt, Random random)
    {
        var baseDelay = BaseDelay ?? TimeSpan.FromMilliseconds(500);
        var cap = MaxDelay ?? TimeSpan.FromSeconds(30);
        var ceiling = Math.Min(cap.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}

/// <summary>
/// Snowflake's SQL API v2 (<c>POST /api/v2/statements</c>). Each statement gets a fresh requestId, reused
/// with <c>retry=true</c> when resubmitting, so a statement the server already ran is not run twice.
/// Retries 429, 5xx, timeouts and dropped connections; polls while the answer is 202; fetches every
/// result partition; turns 422 and other errors into one clear message with Snowflake's code and SQL state.
/// </summary>
public sealed class SnowflakeStatementClient : IDisposable
{
    /// <summary>Sent with every request to Snowflake, the SQL API's and Snowpipe Streaming's.</summary>
    internal const string UserAgent = "gamedata/1.0 (+https://github.com/game-data-platform)";
    private readonly HttpClient _http;
    private readonly ISnowflakeCredential _credential;
    private readonly SnowflakeContext _context;
    private readonly RetryPolicy _retry;
    private readonly Random _jitter = new();
    private int _inFlight;

    /// <param name="baseUri">https://&lt;account host&gt;, or a local server in tests.</param>
    public SnowflakeStatementClient(Uri baseUri, ISnowflakeCredential credential, SnowflakeContext context,
        RetryPolicy? retry = null, HttpMessageHandler? handler = null)
    {
        _retry = retry ?? new RetryPolicy();
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = baseUri,
            Timeout = Timeout.InfiniteTimeSpan, // per attempt instead, see Send
        };
        _credential = credential;
        _context = context;
    }

    /// <summary>The credential, for Snowpipe Streaming's requests to the same account.</summary>
    internal ISnowflakeCredential Credential => _credential;

    internal RetryPolicy Retry => _retry;

    private long _requestsSent;
    private long _bytesSent;
    private int _maxInFlight;

    /// <summary>Requests sent, retries and polls included.</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    /// <summary>Bytes of request bodies sent.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>The most requests in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async Task<StatementResult> ExecuteAsync(string sql, StatementOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new StatementOptions();
        var body = Encoding.UTF8.GetBytes(RequestBody(sql, options).ToJsonString());
        var requestId = Guid.NewGuid();
        var (status, json) = await WithRetries(attempt =>
        {
            var uri = $"/api/v2/statements?requestId={requestId}{(attempt > 0 ? "&retry=true" : "")}";
            return new HttpRequestMessage(HttpMethod.Post, uri)
                { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } };
        }, cancellation);

        var handle = json?["statementHandle"]?.GetValue<string>();
        try
        {
            while (status == HttpStatusCode.Accepted) // still running: poll until it is not
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation);
                (status, json) = await WithRetries(_ => new HttpRequestMessage(HttpMethod.Get, $"/api/v2/statements/{handle}"),
                    cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested && handle is not null)
        {
            await CancelQuietly(handle);
            throw;
        }
        if (status != HttpStatusCode.OK) throw Failure(status, json, sql);
        return await ReadResult(json!, cancellation);
    }

    private JsonObject RequestBody(string sql, StatementOptions options)
    {
        var body = new JsonObject
        {
            ["statement"] = sql,
            ["timeout"] = options.TimeoutSeconds,
            ["database"] = _context.Database,
            ["schema"] = _context.Schema,
        };
        if (_context.Warehouse is not null) body["warehouse"] = _context.Warehouse;
        if (_context.Role is not null) body["role"] = _context.Role;
        var parameters = new JsonObject { ["QUERY_TAG"] = "gamedata" };
        if (options.MultiStatementCount is { } count) parameters["MULTI_STATEMENT_COUNT"] = count.ToString(CultureInfo.InvariantCulture);
        body["parameters"] = parameters;
        if (options.Bindings is { Count: > 0 } bindings)
        {
            var values = new JsonObject();
            for (var i = 0; i < bindings.Count; i++)
                values[(i + 1).ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["type"] = "TEXT", ["value"] = bindings[i] };
            body["bindings"] = values;
        }
        return body;
    }

    /// <summary>
    /// Sends a request, retrying what is worth retrying; returns the first answer that is not. A 401 is
    /// retried once, at once, when the credential can make a new token (a key-pair JWT).
    /// </summary>
    private async Task<(HttpStatusCode Status, JsonNode? Json)> WithRetries(Func<int, HttpRequestMessage> request,
        CancellationToken cancellation)
    {
        var renewed = false;
        for (var attempt = 0; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            string problem;
            try
            {
                var (status, json, after, token) = await Send(request(attempt), cancellation);
                if (status == HttpStatusCode.Unauthorized && !renewed && _credential.Renew(token))
                {
                    renewed = true;
                    continue;
                }
                // An answer without a JSON body (cut off by a proxy, say) is as good as no answer.
                var truncated = status is HttpStatusCode.OK or HttpStatusCode.Accepted && json is null;
                if (!IsTransient(status) && !truncated) return (status, json);
                problem = truncated ? $"HTTP {(int)status} without a body" : $"HTTP {(int)status}{Describe(json)}";
                retryAfter = after;
            }
            catch (Exception e) when (e is HttpRequestException or IOException
                                      || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                problem = e is OperationCanceledException ? "the request timed out" : $"the connection failed ({e.Message.Split('\n')[0]})";
            }
            if (attempt + 1 >= _retry.MaxAttempts)
                throw new SnowflakeException($"Snowflake did not answer after {_retry.MaxAttempts} attempts: {problem}");
            await Task.Delay(retryAfter ?? _retry.Delay(attempt, _jitter), cancellation);
        }
    }

    /// <summary>One HTTP exchange; returns the status, the JSON body, Retry-After and the token it was sent with.</summary>
    private async Task<(HttpStatusCode, JsonNode?, TimeSpan?, string)> Send(HttpRequestMessage request, CancellationToken cancellation)
    {
        var token = _credential.Token();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        request.Headers.Add("X-Snowflake-Authorization-Token-Type", token.Type);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.ParseAdd(UserAgent);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_retry.RequestTimeout ?? TimeSpan.FromMinutes(2));
        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        Interlocked.Increment(ref _requestsSent);
        if (request.Content is ByteArrayContent content) Interlocked.Add(ref _bytesSent, content.Headers.ContentLength ?? 0);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            JsonNode? json = null;
            if (text.Length > 0)
                try { json = JsonNode.Parse(text); }
                catch (JsonException) { /* an HTML error page from a proxy: the status says enough */ }
            return (response.StatusCode, json, response.Headers.RetryAfter?.Delta, token.Value);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            request.Dispose();
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private async Task<StatementResult> ReadResult(JsonNode json, CancellationToken cancellation)
    {
        var handle = json["statementHandle"]?.GetValue<string>() ?? "";
        var metadata = json["resultSetMetaData"];
        var columns = metadata?["rowType"]?.AsArray().Select(c => c?["name"]?.GetValue<string>() ?? "").ToList() ?? [];
        var rows = Rows(json);
        var partitions = metadata?["partitionInfo"]?.AsArray().Count ?? 1;
        for (var partition = 1; partition < partitions; partition++)
        {
            var (status, page) = await WithRetries(
                _ => new HttpRequestMessage(HttpMethod.Get, $"/api/v2/statements/{handle}?partition={partition}"), cancellation);
            if (status != HttpStatusCode.OK) throw Failure(status, page, $"partition {partition} of {handle}");
            rows.AddRange(Rows(page!));
        }
        var inserted = json["stats"]?["numRowsInserted"]?.GetValue<long>() ?? 0;
        var updated = json["stats"]?["numRowsUpdated"]?.GetValue<long>() ?? 0;
        return new StatementResult(handle, columns, rows, inserted, updated);
    }

    private static List<string?[]> Rows(JsonNode json) =>
        json["data"]?.AsArray().Select(row => row!.AsArray().Select(cell => cell?.GetValue<string>()).ToArray()).ToList() ?? [];

    private static SnowflakeException Failure(HttpStatusCode status, JsonNode? json, string what)
    {
        var code = json?["code"]?.GetValue<string>();
        var sqlState = json?["sqlState"]?.GetValue<string>();
        var message = (json?["message"]?.GetValue<string>() ?? "").Split('\n')[0].Trim();
        var text = status switch
        {
            HttpStatusCode.UnprocessableEntity => $"Snowflake error {code} ({sqlState}): {message}",
            HttpStatusCode.RequestTimeout => $"Snowflake cancelled the statement after its timeout{Describe(json)}",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"Snowflake refused the credentials (HTTP {(int)status}{(code is null ? "" : $", code {code}")}): {message}",
            _ => $"Snowflake answered HTTP {(int)status}{Describe(json)}",
        };
        return new SnowflakeException(text, code, sqlState);
    }

    private static string Describe(JsonNode? json) =>
        json?["message"]?.GetValue<string>() is { } message ? $": {message.Split('\n')[0].Trim()}" : "";

    private async Task CancelQuietly(string handle)
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Send(new HttpRequestMessage(HttpMethod.Post, $"/api/v2/statements/{handle}/cancel"), cancel.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException) { /* best effort */ }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The database, schema, warehouse and role every statement runs in.</summary>
public sealed record SnowflakeContext(string Database, string Schema, string? Warehouse, string? Role);
