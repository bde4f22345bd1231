using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FakeSnowflake;

/// <summary>
/// Snowpipe Streaming's high-performance REST API, from its documented shapes: the ingest host
/// (<c>GET /v2/streaming/hostname</c>, JSON or raw text), a scoped token (<c>POST /oauth/token</c>, jwt-bearer grant, JSON or
/// raw text), and channels on a default pipe <c>&lt;TABLE&gt;-STREAMING</c>: open (a reopen bumps the sequencer and
/// discards uncommitted rows), append (gzip NDJSON, continuation tokens, offset tokens), bulk status, drop. Committed
/// rows go into the table on the fake's DuckDB by column name; a row that does not parse is counted in
/// <c>rows_error_count</c> and not inserted. Faults are set by the tests through the properties below.
/// </summary>
public sealed partial class FakeStreaming(FakeSnowflakeServer server, FakeWarehouse warehouse)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeChannel> _channels = [];
    private readonly HashSet<string> _validTokens = [];
    private int _tokens;

    /// <summary>Answer the hostname request as JSON (documented) or raw text (the tutorial's).</summary>
    public bool HostnameAsJson { get; set; } = true;

    /// <summary>Answer the token request as JSON or raw text.</summary>
    public bool TokenAsJson { get; set; }

    /// <summary>The ingest host the hostname request gives; by default this server, with its port.</summary>
    public string? Hostname { get; set; }

    /// <summary>Committed offsets stay this many status polls behind each append (commit lag); 0: committed at once.</summary>
    public int CommitLagPolls { get; set; }

    /// <summary>Rows (by their JSON) that fail to parse: counted in rows_error_count, not inserted.</summary>
    public Func<JsonObject, bool>? RejectRow { get; set; }

    /// <summary>Scoped tokens issued.</summary>
    public int TokensIssued => _tokens;

    /// <summary>Rows committed into tables, over all channels.</summary>
    public long RowsCommitted { get; private set; }

    /// <summary>Every (table, offset) a channel committed, to tell a row committed twice.</summary>
    public List<(string Channel, long Offset)> CommittedOffsets { get; } = [];

    /// <summary>Makes every scoped token issued so far expired: the ingest host answers 401 to them.</summary>
    public void ExpireScopedTokens()
    {
        lock (_gate) _validTokens.Clear();
    }

    /// <summary>The channels open now, by name.</summary>
    public IReadOnlyList<string> OpenChannels()
    {
        lock (_gate) return [.. _channels.Keys];
    }

    /// <summary>Channels ever opened (dropped ones included).</summary>
    public HashSet<string> Opened { get; } = [];

    public static bool Serves(RecordedRequest request) => request.Path.StartsWith("/v2/streaming/", StringComparison.Ordinal) || request.Path == "/oauth/token";

    public FakeResponse Answer(RecordedRequest request)
    {
        var path = Uri.UnescapeDataString(request.Path);
        // Appends to several channels are taken side by side (parsed and inserted outside the lock), as the service does.
        if (RowsPath().Match(path) is { Success: true } rows && request.Method == "POST") return Append(Key(rows), request);
        // A reopen discards what is not committed: what is being committed now finishes first, so the offset it returns is final.
        if (ChannelPath().Match(path) is { Success: true } reopened && request.Method == "PUT") CommitsOf(Key(reopened)).Wait();
        lock (_gate)
        {
            if (request.Path == "/v2/streaming/hostname") return HostnameAnswer(request);
            if (request.Path == "/oauth/token") return TokenAnswer(request);
            if (!Authorised(request)) return Error(401, "390303", "Invalid OAuth access token.");
            if (StatusPath().Match(path) is { Success: true } status && request.Method == "POST")
                return Status(status.Groups[1].Value, status.Groups[2].Value, status.Groups[3].Value, request.Body);
            if (ChannelPath().Match(path) is { Success: true } channel)
                return request.Method switch
                {
                    "PUT" => Open(Key(channel)),
                    "DELETE" => Drop(Key(channel)),
                    _ => Error(405, "ERR_METHOD", $"{request.Method} not allowed"),
                };
            return Error(404, "ERR_NOT_FOUND", $"no such endpoint: {request.Method} {request.Path}");
        }
    }

    private Task CommitsOf(string key)
    {
        lock (_gate) return _channels.TryGetValue(key, out var channel) ? channel.Committing : Task.CompletedTask;
    }

    private FakeResponse HostnameAnswer(RecordedRequest request)
    {
        if (!request.Header("Authorization").StartsWith("Bearer ", StringComparison.Ordinal)) return Error(401, "390144", "JWT token is invalid.");
        var host = Hostname ?? $"{server.Url.Host}:{server.Url.Port}";
        return HostnameAsJson ? new FakeResponse(200, new JsonObject { ["hostname"] = host }) : new FakeResponse(200) { RawText = host };
    }

    private FakeResponse TokenAnswer(RecordedRequest request)
    {
        if (request.Header("X-Snowflake-Authorization-Token-Type") != "KEYPAIR_JWT" || !request.Header("Authorization").StartsWith("Bearer ", StringComparison.Ordinal))
            return Error(401, "390144", "JWT token is invalid.");
        var form = request.Text.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.ElementAtOrDefault(1) ?? ""));
        var expectedScope = (Hostname ?? server.Url.Host).Split(':')[0].Replace('_', '-');
        if (form.GetValueOrDefault("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || form.GetValueOrDefault("scope") != expectedScope)
            return Error(400, "invalid_request", $"grant_type must be jwt-bearer and scope the ingest host ({expectedScope})");
        var n = Interlocked.Increment(ref _tokens);
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["n"] = n, ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        }.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = $"eyJhbGciOiJub25lIn0.{payload}.scoped{n}";
        _validTokens.Add(token);
        return TokenAsJson ? new FakeResponse(200, new JsonObject { ["token"] = token }) : new FakeResponse(200) { RawText = token };
    }

    private bool Authorised(RecordedRequest request)
    {
        var header = request.Header("Authorization");
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return false;
        // An OAuth token is taken as it is; a key pair's JWT is not: the ingest host wants the scoped token.
        return request.Header("X-Snowflake-Authorization-Token-Type") == "OAUTH" || _validTokens.Contains(header["Bearer ".Length..]);
    }

    private FakeResponse Open(string key)
    {
        var (schema, table) = Table(key);
        if (!warehouse.TableNames(schema).Contains(table))
            return Error(404, "ERR_PIPE_DOES_NOT_EXIST_OR_NOT_AUTHORIZED", $"Pipe {key.Split('/')[2]} does not exist or not authorized.");
        if (_channels.TryGetValue(key, out var channel))
        {
            channel.Sequencer++;
            channel.Buffered.Clear(); // a reopen discards what was not committed
        }
        else _channels[key] = channel = new FakeChannel(key);
        Opened.Add(key);
        channel.Continuation = $"{channel.Sequencer}_{Guid.NewGuid():N}";
        return new FakeResponse(200, new JsonObject { ["next_continuation_token"] = channel.Continuation, ["channel_status"] = channel.Status() });
    }

    private FakeResponse Drop(string key) =>
        _channels.Remove(key) ? new FakeResponse(200, new JsonObject()) : Error(404, "ERR_CHANNEL_DOES_NOT_EXIST", "Channel does not exist.");

    private FakeResponse Append(string key, RecordedRequest request)
    {
        // The rows go to DuckDB as they came (gzip, most often): counted here, not inflated into memory.
        var (lines, endsWithLineFeed) = request.Lines();
        var (rows, gzip) = (request.Wire, request.Gzip);
        if (RejectRow is { } reject)
            (rows, gzip) = (Encoding.UTF8.GetBytes(string.Concat(request.Text.Split('\n')[..lines]
                .Where(line => !reject(JsonNode.Parse(line)!.AsObject())).Select(line => line + "\n"))), false);
        FakeChannel? channel;
        Appended appended;
        string continuation;
        lock (_gate)
        {
            if (!Authorised(request)) return Error(401, "390303", "Invalid OAuth access token.");
            if (!_channels.TryGetValue(key, out channel)) return Error(404, "ERR_CHANNEL_DOES_NOT_EXIST", "Channel does not exist.");
            if (request.Query.GetValueOrDefault("continuationToken") != channel.Continuation)
                return Error(409, "STALE_CONTINUATION_TOKEN_SEQUENCER", "The continuation token is stale; reopen the channel.");
            if (request.Header("Content-Type") != "application/x-ndjson")
                return Error(415, "ERR_CONTENT_TYPE", "Content-Type must be application/x-ndjson");
            if (!endsWithLineFeed) return Error(400, "ERR_NDJSON", "every row must end with a line feed");
            var first = long.Parse(request.Query["startOffsetToken"], CultureInfo.InvariantCulture);
            var last = long.Parse(request.Query["endOffsetToken"], CultureInfo.InvariantCulture);
            if (lines != last - first + 1) return Error(400, "ERR_OFFSETS", $"{lines} rows for offsets {first}..{last}");
            appended = new Appended(last, rows, gzip, lines, CommitLagPolls);
            channel.Continuation = continuation = $"{channel.Sequencer}_{Guid.NewGuid():N}";
            if (CommitLagPolls > 0) channel.Buffered.Add(appended);
            // No lag: committed as soon as it is inserted, after the answer (200 means buffered, as the service says),
            // outside the lock, in the order of the channel's appends. A reopen waits for these (see Answer).
            else channel.Committing = channel.Committing.ContinueWith(_ => CommitNow(channel, appended), TaskScheduler.Default);
        }
        return new FakeResponse(200, new JsonObject { ["next_continuation_token"] = continuation });
    }

    private FakeResponse Status(string database, string schema, string pipe, JsonNode? body)
    {
        var statuses = new JsonObject();
        foreach (var name in body?["channel_names"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
        {
            if (!_channels.TryGetValue($"{database}/{schema}/{pipe}/{name}", out var channel)) continue;
            foreach (var appended in channel.Buffered) appended.PollsLeft--;
            Commit(channel);
            statuses[name] = channel.Status();
        }
        return new FakeResponse(200, new JsonObject { ["channel_statuses"] = statuses });
    }

    /// <summary>Commits the appends whose lag is over, in order.</summary>
    private void Commit(FakeChannel channel)
    {
        var (schema, table) = Table(channel.Key);
        while (channel.Buffered.Count > 0 && channel.Buffered[0].PollsLeft <= 0)
        {
            var appended = channel.Buffered[0];
            channel.Buffered.RemoveAt(0);
            Committed(channel, appended, warehouse.InsertStreamed(schema, table, appended.Rows, appended.Gzip));
        }
    }

    private void CommitNow(FakeChannel channel, Appended appended)
    {
        var (schema, table) = Table(channel.Key);
        long inserted;
        try { inserted = warehouse.InsertStreamed(schema, table, appended.Rows, appended.Gzip); }
        catch (Exception) { inserted = 0; } // every row counts as an error: the load sees it in rows_error_count
        lock (_gate) Committed(channel, appended, inserted);
    }

    /// <summary>Lines that did not parse, or that a test rejects, count in rows_error_count.</summary>
    private void Committed(FakeChannel channel, Appended appended, long inserted)
    {
        RowsCommitted += inserted;
        channel.Errors += appended.Lines - inserted;
        channel.Committed = appended.Last;
        CommittedOffsets.Add((channel.Key, appended.Last));
    }

    private static (string Schema, string Table) Table(string key)
    {
        var parts = key.Split('/');
        return (parts[1], parts[2].EndsWith("-STREAMING", StringComparison.Ordinal) ? parts[2][..^"-STREAMING".Length] : parts[2]);
    }

    private static string Key(Match match) => $"{match.Groups[1].Value}/{match.Groups[2].Value}/{match.Groups[3].Value}/{match.Groups[4].Value}";

    private static FakeResponse Error(int status, string code, string message) => new(status, new JsonObject { ["code"] = code, ["message"] = message });

    [GeneratedRegex("^/v2/streaming/databases/([^/]+)/schemas/([^/]+)/pipes/([^/]+):bulk-channel-status$")]
    private static partial Regex StatusPath();

    [GeneratedRegex("^/v2/streaming/data/databases/([^/]+)/schemas/([^/]+)/pipes/([^/]+)/channels/([^/]+)/rows$")]
    private static partial Regex RowsPath();

    [GeneratedRegex("^/v2/streaming/databases/([^/]+)/schemas/([^/]+)/pipes/([^/]+)/channels/([^/]+)$")]
    private static partial Regex ChannelPath();

    /// <summary>
    /// An append: the NDJSON to insert (the lines sent, gzip-compressed if they came so, less those a test rejects) and
    /// how many lines were sent.
    /// </summary>
    private sealed class Appended(long last, byte[] rows, bool gzip, int lines, int pollsLeft)
    {
        public long Last { get; } = last;
        public byte[] Rows { get; } = rows;
        public bool Gzip { get; } = gzip;
        public int Lines { get; } = lines;
        public int PollsLeft { get; set; } = pollsLeft;
    }

    private sealed class FakeChannel(string key)
    {
        public string Key { get; } = key;
        public int Sequencer { get; set; }
        public string Continuation { get; set; } = "";
        public long? Committed { get; set; }
        public long Errors { get; set; }
        public List<Appended> Buffered { get; } = [];
        /// <summary>The commits of appends taken without lag, one after another.</summary>
        public Task Committing { get; set; } = Task.CompletedTask;

        public JsonObject Status() => new()
        {
            ["database_name"] = Key.Split('/')[0], ["schema_name"] = Key.Split('/')[1], ["pipe_name"] = Key.Split('/')[2],
            ["channel_name"] = Key.Split('/')[3], ["channel_status_code"] = "SUCCESS",
            ["last_committed_offset_token"] = Committed?.ToString(CultureInfo.InvariantCulture), ["rows_error_count"] = Errors,
        };
    }
}
