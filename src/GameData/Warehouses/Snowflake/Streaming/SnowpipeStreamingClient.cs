using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GameData.Warehouses.Snowflake.Streaming;

/// <summary>
/// Snowpipe Streaming's high-performance REST API. On the account host: the ingest host (<c>GET /v2/streaming/hostname</c>)
/// and, for a key pair, a token scoped to it (<c>POST /oauth/token</c>, jwt-bearer grant); on the ingest host: open,
/// append, status and drop of channels. Retries 429 (after Retry-After), 5xx and dropped connections where a request
/// can safely be sent again; an append cannot (its rows may have been buffered), so a dropped append, a 409 or a stale
/// continuation token becomes <see cref="ChannelLostException"/> for the caller to reopen the channel. A 401 from the
/// ingest host renews the scoped token; one from the account host signs the JWT again. Tokens are never logged.
/// </summary>
public sealed class SnowpipeStreamingClient : IDisposable
{
    public const string StaleToken = "STALE_CONTINUATION_TOKEN_SEQUENCER";
    /// <summary>Renew the scoped token this long before it expires.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    /// <summary>A scoped token whose lifetime cannot be read is assumed to last this long.</summary>
    private static readonly TimeSpan AssumedLifetime = TimeSpan.FromMinutes(30);

    private readonly HttpClient _http;
    private readonly Uri _account;
    private readonly ISnowflakeCredential _credential;
    private readonly RetryPolicy _retry;
    private readonly TimeProvider _clock;
    private readonly Random _jitter = new();
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private (string Value, DateTimeOffset Expires)? _scoped;
    private long _requests;
    private long _bytes;

    /// <param name="account">The account host (https://...), or a local server in tests.</param>
    public SnowpipeStreamingClient(Uri account, ISnowflakeCredential credential, RetryPolicy? retry = null,
        HttpMessageHandler? handler = null, TimeProvider? clock = null)
    {
        _account = account;
        _credential = credential;
        _retry = retry ?? new RetryPolicy();
        _clock = clock ?? TimeProvider.System;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The ingest host's base address, once <see cref="ConnectAsync"/> has found it.</summary>
    public Uri? IngestHost { get; private set; }

    /// <summary>Requests sent to either host, retries included.</summary>
    public long RequestsSent => Interlocked.Read(ref _requests);

    /// <summary>Bytes of request bodies sent (appends compressed, as sent).</summary>
    public long BytesSent => Interlocked.Read(ref _bytes);

    /// <summary>Whether the credential can be used here: a key pair (exchanged for a scoped token) or an OAuth token.</summary>
    public static bool CanStream(ISnowflakeCredential credential) =>
        credential is KeyPairJwtCredential || credential.Token().Type == StaticTokenCredential.OAuth;

    /// <summary>Finds the ingest host and takes a scoped token for it.</summary>
    public async Task ConnectAsync(CancellationToken cancellation)
    {
        var (_, text) = await Send(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_account, "/v2/streaming/hostname")),
            Host.Account, "the ingest host", cancellation);
        IngestHost = IngestUri(_account, text);
        await ScopedToken(null, cancellation);
    }

    /// <summary>
    /// The ingest host from the hostname answer: raw text or <c>{"hostname": ...}</c>, <c>_</c> replaced by <c>-</c>
    /// (a documented known issue). Reached over https, or with the scheme of a local account URL (a stub) and the port
    /// the answer gives, else the stub's own.
    /// </summary>
    public static Uri IngestUri(Uri account, string answer)
    {
        var host = answer.Trim();
        if (host.StartsWith('{')) host = JsonNode.Parse(host)?["hostname"]?.GetValue<string>()?.Trim() ?? "";
        else if (host.StartsWith('"')) host = JsonSerializer.Deserialize<string>(host)?.Trim() ?? "";
        if (Uri.TryCreate(host, UriKind.Absolute, out var given) && given.Scheme is "http" or "https") host = given.Authority;
        host = host.TrimEnd('/').Replace('_', '-');
        if (host.Length == 0) throw new SnowflakeException("Snowflake's hostname request for Snowpipe Streaming answered without a host");
        var local = account.IsLoopback || account.Scheme == "http";
        var builder = new UriBuilder(local ? account.Scheme : "https", host.Split(':')[0]);
        if (host.Contains(':')) builder.Port = int.Parse(host[(host.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        else if (local) builder.Port = account.Port;
        return builder.Uri;
    }

    public async Task<OpenedChannel> OpenAsync(ChannelName channel, CancellationToken cancellation)
    {
        var (_, text) = await Send(() => new HttpRequestMessage(HttpMethod.Put, Ingest(channel.Path))
            { Content = Json(new JsonObject()) }, Host.Ingest, $"opening channel {channel.Name}", cancellation);
        var json = JsonNode.Parse(text);
        var token = json?["next_continuation_token"]?.GetValue<string>()
                    ?? throw new SnowflakeException($"opening channel {channel.Name}: Snowflake answered without a continuation token");
        return new OpenedChannel(token, ChannelStatus.From(channel.Name, json?["channel_status"]));
    }

    /// <summary>
    /// Appends rows (gzip NDJSON) with offset tokens <paramref name="first"/>..<paramref name="last"/>; returns the next
    /// continuation token.
    /// </summary>
    public async Task<string> AppendAsync(ChannelName channel, string continuation, long first, long last, byte[] gzipNdjson,
        CancellationToken cancellation)
    {
        var query = $"?continuationToken={Uri.EscapeDataString(continuation)}&startOffsetToken={first}&endOffsetToken={last}" +
                    $"&requestId={Guid.NewGuid()}";
        var path = $"/v2/streaming/data/{channel.Path}/rows{query}";
        try
        {
            var (_, text) = await Send(() =>
            {
                var content = new ByteArrayContent(gzipNdjson);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                content.Headers.ContentEncoding.Add("gzip");
                return new HttpRequestMessage(HttpMethod.Post, Ingest(path)) { Content = content };
            }, Host.Ingest, $"appending to channel {channel.Name}", cancellation, retryDropped: false);
            return JsonNode.Parse(text)?["next_continuation_token"]?.GetValue<string>()
                   ?? throw new ChannelLostException("an append answer without a continuation token");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException
                                  || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            // Applied or not, nobody knows: the channel's committed offset will tell.
            throw new ChannelLostException($"the connection failed during an append ({e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>The status of several channels of one pipe, by name.</summary>
    public async Task<IReadOnlyDictionary<string, ChannelStatus>> StatusAsync(string pipePath, IReadOnlyList<string> channels,
        CancellationToken cancellation)
    {
        var body = new JsonObject { ["channel_names"] = new JsonArray([.. channels.Select(c => (JsonNode)JsonValue.Create(c))]) };
        var (_, text) = await Send(() => new HttpRequestMessage(HttpMethod.Post, Ingest($"/v2/streaming/{pipePath}:bulk-channel-status"))
            { Content = Json(body) }, Host.Ingest, "reading the channels' status", cancellation);
        var statuses = JsonNode.Parse(text)?["channel_statuses"];
        var result = new Dictionary<string, ChannelStatus>(StringComparer.OrdinalIgnoreCase);
        // A map by channel name as documented; an array of statuses is read too.
        if (statuses is JsonObject map)
            foreach (var (name, status) in map) result[name] = ChannelStatus.From(name, status);
        else if (statuses is JsonArray list)
            foreach (var status in list)
                if (status?["channel_name"]?.GetValue<string>() is { } name) result[name] = ChannelStatus.From(name, status);
        return result;
    }

    public async Task DropAsync(ChannelName channel, CancellationToken cancellation) =>
        await Send(() => new HttpRequestMessage(HttpMethod.Delete, Ingest(channel.Path)), Host.Ingest, $"dropping channel {channel.Name}",
            cancellation);

    private Uri Ingest(string path) =>
        new(IngestHost ?? throw new InvalidOperationException("connect first"), path.StartsWith('/') ? path : "/v2/streaming/" + path);

    private static ByteArrayContent Json(JsonNode body) =>
        new(Encoding.UTF8.GetBytes(body.ToJsonString())) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

    private enum Host { Account, Ingest }

    /// <summary>
    /// One request with its retries; returns the status and text of a 2xx answer, throws for the rest: 409 and
    /// STALE_CONTINUATION_TOKEN_SEQUENCER as <see cref="ChannelLostException"/>, others as a one-line <see cref="SnowflakeException"/>.
    /// </summary>
    private async Task<(HttpStatusCode Status, string Text)> Send(Func<HttpRequestMessage> make, Host host, string what,
        CancellationToken cancellation, bool retryDropped = true)
    {
        var renewed = false;
        for (var attempt = 0; ; attempt++)
        {
            string problem;
            TimeSpan? retryAfter = null;
            using var request = make();
            var token = host == Host.Account ? _credential.Token() : await IngestToken(cancellation);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            if (token.Type.Length > 0) request.Headers.Add("X-Snowflake-Authorization-Token-Type", token.Type);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.UserAgent.ParseAdd(SnowflakeStatementClient.UserAgent);
            Interlocked.Increment(ref _requests);
            if (request.Content is ByteArrayContent content) Interlocked.Add(ref _bytes, content.Headers.ContentLength ?? 0);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(_retry.RequestTimeout ?? TimeSpan.FromMinutes(2));
                using var response = await _http.SendAsync(request, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                var status = response.StatusCode;
                if (response.IsSuccessStatusCode) return (status, text);
                var (code, message) = Error(text);
                if (status == HttpStatusCode.Unauthorized && !renewed)
                {
                    renewed = true;
                    if (host == Host.Ingest) await ScopedToken(token.Value, cancellation);
                    else if (!_credential.Renew(token.Value)) throw Refused(status, code, message, what);
                    continue;
                }
                if (status == HttpStatusCode.Conflict || code == StaleToken)
                    throw new ChannelLostException($"{what}: HTTP {(int)status} {code}");
                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) throw Refused(status, code, message, what);
                if (!IsTransient(status))
                    throw new SnowflakeException(
                        $"Snowpipe Streaming, {what}: HTTP {(int)status}{(code is null ? "" : $" {code}")}{Tail(message)}", code);
                problem = $"HTTP {(int)status}{Tail(message)}";
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (Exception e) when (retryDropped && (e is HttpRequestException or IOException
                                                       || (e is OperationCanceledException && !cancellation.IsCancellationRequested)))
            {
                problem = e is OperationCanceledException ? "the request timed out" : $"the connection failed ({e.Message.Split('\n')[0]})";
            }
            if (attempt + 1 >= _retry.MaxAttempts)
                throw new SnowflakeException($"Snowpipe Streaming did not answer after {_retry.MaxAttempts} attempts ({what}): {problem}");
            await Task.Delay(retryAfter ?? _retry.Delay(attempt, _jitter), cancellation);
        }
    }

    private static SnowflakeException Refused(HttpStatusCode status, string? code, string? message, string what) =>
        new(status == HttpStatusCode.Forbidden
                ? $"Snowpipe Streaming refused {what} (HTTP 403{(code is null ? "" : $", code {code}")}): the role lacks a privilege " +
                  $"(USAGE on the database and schema, INSERT on the tables) or streaming is not enabled{Tail(message)}"
                : $"Snowpipe Streaming refused the credentials (HTTP 401{(code is null ? "" : $", code {code}")}){Tail(message)}", code);

    private static string Tail(string? message) => string.IsNullOrWhiteSpace(message) ? "" : $": {message.Split('\n')[0].Trim()}";

    private static (string? Code, string? Message) Error(string text)
    {
        try
        {
            var json = JsonNode.Parse(text);
            return (json?["code"]?.ToString(), json?["message"]?.ToString());
        }
        catch (JsonException) { return (null, null); }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The bearer for the ingest host: an OAuth token as it is, a key pair's scoped token (renewed before it expires).</summary>
    private async Task<SnowflakeToken> IngestToken(CancellationToken cancellation)
    {
        if (_credential is not KeyPairJwtCredential) return _credential.Token();
        var current = _scoped;
        if (current is { } token && token.Expires - _clock.GetUtcNow() > RenewBefore) return new SnowflakeToken(token.Value, "");
        return new SnowflakeToken(await ScopedToken(current?.Value, cancellation), "");
    }

    /// <summary>A new scoped token, unless another request already replaced <paramref name="rejected"/>.</summary>
    private async Task<string> ScopedToken(string? rejected, CancellationToken cancellation)
    {
        if (_credential is not KeyPairJwtCredential) return "";
        await _tokenGate.WaitAsync(cancellation);
        try
        {
            if (_scoped is { } current && current.Value != rejected && current.Expires - _clock.GetUtcNow() > RenewBefore)
                return current.Value;
            var form = $"grant_type={Uri.EscapeDataString("urn:ietf:params:oauth:grant-type:jwt-bearer")}" +
                       $"&scope={Uri.EscapeDataString(IngestHost!.Host)}";
            var (_, text) = await Send(() => new HttpRequestMessage(HttpMethod.Post, new Uri(_account, "/oauth/token"))
            {
                Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
            }, Host.Account, "the scoped token", cancellation);
            var value = text.Trim();
            if (value.StartsWith('{'))
            {
                var json = JsonNode.Parse(value);
                value = json?["token"]?.GetValue<string>() ?? json?["access_token"]?.GetValue<string>() ?? "";
            }
            if (value.Length == 0) throw new SnowflakeException("Snowflake answered the scoped token request without a token");
            _scoped = (value, Expiry(value));
            return value;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    /// <summary>The <c>exp</c> of a JWT-shaped token; otherwise an assumed lifetime from now.</summary>
    private DateTimeOffset Expiry(string token)
    {
        var parts = token.Split('.');
        if (parts.Length == 3)
            try
            {
                var payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
                if (JsonNode.Parse(Convert.FromBase64String(payload))?["exp"]?.GetValue<long>() is { } exp)
                    return DateTimeOffset.FromUnixTimeSeconds(exp);
            }
            catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException) { /* not a JWT after all */ }
        return _clock.GetUtcNow() + AssumedLifetime;
    }

    public void Dispose()
    {
        _http.Dispose();
        _tokenGate.Dispose();
    }
}

/// <summary>A channel of a pipe: its name and its path on the ingest host.</summary>
public sealed record ChannelName(string Database, string Schema, string Pipe, string Name)
{
    public string PipePath =>
        $"databases/{Uri.EscapeDataString(Database)}/schemas/{Uri.EscapeDataString(Schema)}/pipes/{Uri.EscapeDataString(Pipe)}";
    public string Path => $"{PipePath}/channels/{Uri.EscapeDataString(Name)}";
}
