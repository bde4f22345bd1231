using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CsvHelper;
using FakeSnowflake;
using GameData.Loading;
using GameData.Tests.Loading;
using GameData.Warehouses.Snowflake;
using GameData.Warehouses.Snowflake.Streaming;

namespace GameData.Tests.Snowflake;

/// <summary>
/// Loads whose staging tables are filled through Snowpipe Streaming, against the local server: each fault the protocol
/// documents, with the RAW tables compared row for row with the CSV files afterwards.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class SnowflakeStreamingTests
{
    /// <summary>
    /// Small batches, so that a table takes several appends over each channel; quick polls; no pacing (a load of many
    /// small appends would otherwise wait 100 ms before each).
    /// </summary>
    private static readonly StreamingOptions Quick =
        new(BatchBytes: 150_000, MinAppendInterval: TimeSpan.FromMilliseconds(1), PollInterval: TimeSpan.FromMilliseconds(5));

    [TestCase(true, false)]
    [TestCase(false, true)]
    public void A_streaming_load_fills_RAW_exactly_sends_gzip_NDJSON_and_drops_its_channels(bool hostnameAsJson, bool tokenAsJson)
    {
        using var kit = StreamingKit();
        kit.Server.Streaming.HostnameAsJson = hostnameAsJson;
        kit.Server.Streaming.TokenAsJson = tokenAsJson;

        var lines = Load(kit, TestDatasets.Small, LoadMode.Recreate);

        AssertRawMatchesCsv(kit, TestDatasets.Small);
        Assert.That(lines, Does.Contain($"staging through Snowpipe Streaming ({kit.Server.Url.Authority})"));
        Assert.That(lines.Any(l => l.StartsWith("raw_game_events.csv: 50% sent", StringComparison.Ordinal)), Is.True, string.Join("\n", lines));
        var appends = Appends(kit);
        Assert.That(appends, Has.Count.GreaterThan(6));
        Assert.That(appends.All(a => a.Header("Content-Encoding") == "gzip" && a.Header("Content-Type") == "application/x-ndjson"), Is.True);
        Assert.That(appends.Max(a => a.WireBytes), Is.LessThanOrEqualTo(4 * 1024 * 1024));
        Assert.That(appends.All(a => a.Header("Authorization").Contains("scoped", StringComparison.Ordinal)), Is.True, "the scoped token, not the JWT");
        var first = JsonNode.Parse(appends.First(a => a.Path.Contains("RAW_GAME_EVENTS", StringComparison.Ordinal)).Text.Split('\n')[0])!.AsObject();
        Assert.That(first.Select(p => p.Key), Is.EqualTo(RawSchema.Events.Columns), "keys are the staging table's columns");
        Assert.That(first["PROPERTIES"], Is.InstanceOf<JsonObject>(), "PROPERTIES goes as JSON");
        Assert.That(kit.Server.Requests.Any(r => r.Statement?.Contains(" FROM VALUES ", StringComparison.Ordinal) == true), Is.False);
        Assert.That(kit.Server.Streaming.OpenChannels(), Is.Empty, "channels dropped");
        Assert.That(kit.Server.Streaming.Opened.Select(c => c.Split('/')[3]).Distinct().Count(), Is.EqualTo(4), "run-unique channel names");
        Assert.That(kit.Server.Warehouse.TableNames().Where(t => t.StartsWith("_STAGE_", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void An_ingest_host_with_underscores_is_reached_with_hyphens_on_the_stubs_scheme_and_port()
    {
        using var kit = StreamingKit();
        var port = kit.Server.Url.Port;
        kit.Server.Streaming.Hostname = $"xy_12345.ingest_host.example:{port}";
        // No resolver knows the name: every connection goes to the local server, which sees the Host header.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };

        Load(kit, TestDatasets.Small, LoadMode.Recreate, w => w.StreamingHandler = handler);

        AssertRawMatchesCsv(kit, TestDatasets.Small);
        Assert.That(Appends(kit).Select(a => a.Header("Host")).Distinct(), Is.EqualTo(new[] { $"xy-12345.ingest-host.example:{port}" }));
        Assert.That(SnowpipeStreamingClient.IngestUri(new Uri("https://myorg-myaccount.snowflakecomputing.com"), "{\"hostname\": \"a_b.snowflakecomputing.com\"}"),
            Is.EqualTo(new Uri("https://a-b.snowflakecomputing.com/")));
    }

    [Test]
    public void Commit_lag_is_waited_for()
    {
        using var kit = StreamingKit();
        kit.Server.Streaming.CommitLagPolls = 3;

        Load(kit, TestDatasets.Small, LoadMode.Recreate);

        AssertRawMatchesCsv(kit, TestDatasets.Small);
    }

    [Test]
    public void A_stale_continuation_token_reopens_the_channel_and_the_uncommitted_rows_it_lost_are_sent_again_once()
    {
        using var kit = StreamingKit();
        kit.Server.Streaming.CommitLagPolls = 2; // appended rows stay uncommitted: the reopen discards them
        var appends = 0;
        kit.Server.Intercept = r => IsAppend(r) && r.Path.Contains("RAW_GAME_EVENTS", StringComparison.Ordinal) && Interlocked.Increment(ref appends) is 3 or 9
            ? SnowflakeTestKit.Status(409, SnowpipeStreamingClient.StaleToken, "The continuation token is stale.")
            : null;

        Load(kit, TestDatasets.Small, LoadMode.Recreate);

        AssertRawMatchesCsv(kit, TestDatasets.Small);
        var opens = kit.Server.Requests.Count(r => r.Method == "PUT");
        Assert.That(opens, Is.EqualTo(3 * 4 + 2), "each 409 reopened its channel once");
        AssertNoOffsetCommittedTwice(kit);
        var resent = Appends(kit).GroupBy(a => (Channel(a), a.Query["startOffsetToken"])).Count(g => g.Count() > 1);
        Assert.That(resent, Is.Positive, "rows the reopen discarded were sent again");
    }

    [Test]
    public void Too_many_requests_back_off_for_as_long_as_Retry_After_says()
    {
        using var kit = StreamingKit();
        var refused = 0;
        kit.Server.Intercept = r => IsAppend(r) && Interlocked.Increment(ref refused) <= 3
            ? SnowflakeTestKit.Status(429, "ERR_TOO_MANY_REQUESTS", "Too many requests") with { RetryAfterSeconds = "0" }
            : null;

        Load(kit, TestDatasets.Small, LoadMode.Recreate);

        AssertRawMatchesCsv(kit, TestDatasets.Small);
        AssertNoOffsetCommittedTwice(kit);
    }

    [Test]
    public void An_expired_scoped_token_is_renewed()
    {
        using var kit = StreamingKit();
        var appends = 0;
        kit.Server.Intercept = r =>
        {
            if (IsAppend(r) && Interlocked.Increment(ref appends) == 4) kit.Server.Streaming.ExpireScopedTokens();
            return null;
        };

        Load(kit, TestDatasets.Small, LoadMode.Recreate);

        AssertRawMatchesCsv(kit, TestDatasets.Small);
        Assert.That(kit.Server.Streaming.TokensIssued, Is.EqualTo(2));
        Assert.That(kit.Server.Requests.Count(r => r.Path == "/oauth/token"), Is.EqualTo(2));
    }

    [Test]
    public void A_JWT_the_token_request_refuses_is_signed_again()
    {
        using var kit = StreamingKit();
        string? refusedJwt = null;
        kit.Server.Intercept = r =>
        {
            if (r.Path != "/oauth/token" || refusedJwt is not null) return null;
            refusedJwt = r.Header("Authorization");
            return SnowflakeTestKit.Status(401, "390144", "JWT token is invalid.");
        };

        Load(kit, TestDatasets.Small, LoadMode.Recreate);

        AssertRawMatchesCsv(kit, TestDatasets.Small);
        var tokenRequests = kit.Server.Requests.Where(r => r.Path == "/oauth/token").Select(r => r.Header("Authorization")).ToList();
        Assert.That(tokenRequests, Has.Count.EqualTo(2));
        Assert.That(tokenRequests[1], Is.Not.EqualTo(refusedJwt), "a newly signed JWT");
    }

    [Test]
    public void A_connection_dropped_after_an_append_was_applied_is_resolved_by_the_committed_offset()
    {
        using var kit = StreamingKit();
        var appends = 0;
        RecordedRequest? dropped = null;
        kit.Server.Intercept = r =>
        {
            if (!IsAppend(r) || Interlocked.Increment(ref appends) != 5) return null;
            dropped = r;
            return kit.Server.Answer(r) with { DropConnection = true }; // applied, then the answer is lost
        };

        Load(kit, TestDatasets.Small, LoadMode.Recreate);

        AssertRawMatchesCsv(kit, TestDatasets.Small);
        Assert.That(dropped, Is.Not.Null);
        Assert.That(Appends(kit).Count(a => Channel(a) == Channel(dropped!) && a.Query["startOffsetToken"] == dropped!.Query["startOffsetToken"]),
            Is.EqualTo(1), "the applied append was not sent again");
        AssertNoOffsetCommittedTwice(kit);
    }

    [Test]
    public void A_row_Snowflake_cannot_parse_fails_the_load_naming_the_count_and_nothing_moves_into_RAW()
    {
        using var kit = StreamingKit();
        Load(kit, TestDatasets.Tiny, LoadMode.Recreate);
        var session = File.ReadLines(Path.Combine(TestDatasets.Small, RawSchema.Sessions.File)).ElementAt(5).Split(',')[0];
        kit.Server.Streaming.RejectRow = r => r["SESSION_ID"]?.GetValue<string>() == session;

        var error = Assert.Throws<WarehouseException>(() => Load(kit, TestDatasets.Small, LoadMode.Recreate));

        Assert.That(error!.Message, Is.EqualTo("raw_sessions.csv: Snowpipe Streaming rejected 1 rows (rows_error_count); nothing was loaded"));
        AssertRawMatchesCsv(kit, TestDatasets.Tiny);
        Assert.That(kit.Server.Streaming.OpenChannels(), Is.Empty, "channels dropped after the failure");
        Assert.That(kit.Server.Warehouse.TableNames().Where(t => t.StartsWith("_STAGE_", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Appends_refused_on_every_channel_while_the_reader_waits_for_room_fail_the_load_instead_of_hanging()
    {
        using var kit = StreamingKit();
        // The refusals wait until each of the events file's four channels has an append in flight, and a little more:
        // by then the reader has filled the queue and waits for room that no channel will make.
        var eventAppends = 0;
        using var allInFlight = new ManualResetEventSlim();
        kit.Server.Intercept = r =>
        {
            if (!IsAppend(r)) return null;
            if (r.Path.Contains(RawSchema.Events.Name, StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref eventAppends) == 4) allInFlight.Set();
                allInFlight.Wait(TimeSpan.FromSeconds(10));
            }
            Thread.Sleep(300);
            return SnowflakeTestKit.Status(403, "ERR_TABLE_DOES_NOT_EXIST_NOT_AUTHORIZED", "Table does not exist or not authorized.");
        };

        var load = Task.Run(() => Load(kit, TestDatasets.Small, LoadMode.Recreate));

        Task.WaitAny(load, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.That(load.IsCompleted, Is.True, "the load still waits after every channel failed");
        var error = load.Exception?.InnerException;
        Assert.That(error, Is.InstanceOf<WarehouseException>());
        Assert.That(error!.Message, Does.Contain("HTTP 403"));
        Assert.That(kit.Server.Warehouse.Table("RAW_PLAYERS"), Is.Empty);
        Assert.That(kit.Server.Streaming.OpenChannels(), Is.Empty, "channels dropped after the failure");
    }

    [Test]
    public void Auto_streams_with_a_key_pair_and_says_so()
    {
        using var kit = SnowflakeLoadTests.MigratedKit();
        var lines = Load(kit, TestDatasets.Small, LoadMode.Recreate);
        Assert.That(lines, Does.Contain($"staging through Snowpipe Streaming ({kit.Server.Url.Authority})"));
        Assert.That(Appends(kit), Is.Not.Empty);
        AssertRawMatchesCsv(kit, TestDatasets.Small);
    }

    [Test]
    public void Auto_uses_the_SQL_API_when_the_account_refuses_streaming_and_says_why_in_one_line()
    {
        using var kit = SnowflakeLoadTests.MigratedKit();
        kit.Server.Intercept = r => r.Path == "/v2/streaming/hostname" ? SnowflakeTestKit.Status(403, "390186", "Streaming is not enabled for this account.") : null;

        var lines = Load(kit, TestDatasets.Small, LoadMode.Recreate);

        var why = lines.Where(l => l.StartsWith("staging through", StringComparison.Ordinal)).ToList();
        Assert.That(why, Has.Count.EqualTo(1));
        Assert.That(why[0], Does.StartWith("staging through the SQL API: Snowpipe Streaming is not available here").And.Contain("HTTP 403"));
        Assert.That(Appends(kit), Is.Empty);
        AssertRawMatchesCsv(kit, TestDatasets.Small);
    }

    [Test]
    public void Cli_auto_with_a_programmatic_access_token_uses_the_SQL_API_and_says_why()
    {
        using var kit = SnowflakeLoadTests.MigratedKit();
        var environment = WithAccessToken(kit);

        var result = CliRunner.Run(["load", "--mode", "recreate", "--data", TestDatasets.Small], environment);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut.Split('\n').Count(l => l.Contains("staging through the SQL API: a programmatic access token", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(result.StdOut + result.StdErr, Does.Not.Contain("pat-secret-value"));
        AssertRawMatchesCsv(kit, TestDatasets.Small);
    }

    [Test]
    public void Cli_streaming_with_a_programmatic_access_token_fails_in_one_line()
    {
        using var kit = SnowflakeLoadTests.MigratedKit();
        var environment = WithAccessToken(kit);

        var result = CliRunner.Run(["load", "--mode", "recreate", "--data", TestDatasets.Small, "--snowflake-ingest", "streaming"], environment);

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.Contain("--snowflake-ingest streaming: a programmatic access token").And.Not.Contain("pat-secret-value"));
        Assert.That(kit.Server.Warehouse.Table("RAW_PLAYERS"), Is.Empty);
    }

    [Test]
    public void Cli_streaming_with_credentials_the_account_refuses_fails_in_one_line()
    {
        using var kit = SnowflakeLoadTests.MigratedKit();
        kit.Server.Intercept = r => r.Path == "/oauth/token" ? SnowflakeTestKit.Status(401, "390144", "JWT token is invalid.") : null;

        var result = CliRunner.Run(["load", "--mode", "recreate", "--data", TestDatasets.Small], Streaming(kit));

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.Contain("Snowpipe Streaming refused the credentials (HTTP 401, code 390144)").And.Not.Contain("eyJ"));
        Assert.That(kit.Server.Warehouse.Table("RAW_PLAYERS"), Is.Empty);
    }

    [Test]
    public void Cli_streaming_without_the_insert_privilege_fails_in_one_line_and_leaves_RAW_as_it_was()
    {
        using var kit = SnowflakeLoadTests.MigratedKit();
        kit.Server.Intercept = r => r.Method == "PUT" && FakeStreaming.Serves(r)
            ? SnowflakeTestKit.Status(403, "ERR_PIPE_DOES_NOT_EXIST_OR_NOT_AUTHORIZED", "Pipe does not exist or not authorized.")
            : null;

        var result = CliRunner.Run(["load", "--mode", "recreate", "--data", TestDatasets.Small], Streaming(kit));

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1), result.StdErr);
        Assert.That(result.ErrorLines[0], Does.Contain("HTTP 403").And.Contain("INSERT on the tables"));
        Assert.That(kit.Server.Warehouse.Table("RAW_PLAYERS"), Is.Empty);
        Assert.That(kit.Server.Warehouse.TableNames().Where(t => t.StartsWith("_STAGE_", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void An_unknown_ingest_setting_is_refused_in_one_line()
    {
        using var kit = new SnowflakeTestKit();
        var environment = kit.Values.ToDictionary(v => v.Key, v => v.Value);
        environment["SNOWFLAKE_INGEST"] = "snowpipe";
        var result = CliRunner.Run(["load", "--data", TestDatasets.Small], environment);
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.Contain("must be auto, streaming or sql"));
    }

    /// <summary>
    /// A streaming load killed at its steps (the CLI held at each, then SIGKILL) leaves RAW as it was; the next run loads
    /// it exactly, with no duplicate.
    /// </summary>
    [TestCase("staging through Snowpipe Streaming")]
    [TestCase("raw_players.csv: streaming")]
    [TestCase("raw_sessions.csv: 90% sent")]
    [TestCase("raw_game_events.csv: all")]
    [TestCase("raw_game_events.csv: 23,206 rows committed")]
    [TestCase("moving the batch into the RAW tables")]
    public void A_streaming_load_killed_at_a_step_leaves_RAW_as_it_was_and_a_rerun_loads_it_exactly(string step)
    {
        using var kit = SnowflakeLoadTests.MigratedKit();
        Load(kit, TestDatasets.Tiny, LoadMode.Recreate);
        var environment = Streaming(kit);
        string[] load = ["load", "--mode", "recreate", "--data", TestDatasets.Small];

        KillSweepTests.KillAt(load, step, environment);
        AssertRawMatchesCsv(kit, TestDatasets.Tiny);
        // The dead holder's lock row would free itself after two hours: free it now.
        kit.Server.Warehouse.Execute("UPDATE RAW._LOCK SET HOLDER = NULL, SINCE = NULL, EXPIRES = NULL", [], false);

        var rerun = CliRunner.Run(load, environment);
        Assert.That(rerun.ExitCode, Is.Zero, rerun.StdErr);
        AssertRawMatchesCsv(kit, TestDatasets.Small);
    }

    // Helpers

    private static SnowflakeTestKit StreamingKit()
    {
        var kit = SnowflakeLoadTests.MigratedKit();
        kit.Values["SNOWFLAKE_INGEST"] = "streaming";
        return kit;
    }

    /// <summary>The kit's settings with a programmatic access token instead of its key pair.</summary>
    private static Dictionary<string, string?> WithAccessToken(SnowflakeTestKit kit)
    {
        var environment = kit.Values.ToDictionary(v => v.Key, v => v.Value);
        environment.Remove("SNOWFLAKE_PRIVATE_KEY_PATH");
        environment["SNOWFLAKE_TOKEN"] = "pat-secret-value";
        return environment;
    }

    private static Dictionary<string, string?> Streaming(SnowflakeTestKit kit) =>
        new(kit.Values.ToDictionary(v => v.Key, v => v.Value)) { ["SNOWFLAKE_INGEST"] = "streaming" };

    /// <summary>Loads in process with <see cref="Quick"/> options; returns the step lines it reported.</summary>
    private static List<string> Load(SnowflakeTestKit kit, string data, LoadMode mode, Action<SnowflakeWarehouse>? configure = null)
    {
        using var warehouse = kit.Warehouse();
        warehouse.StreamingOptions = Quick;
        configure?.Invoke(warehouse);
        var lines = new Lines();
        var plan = DatasetLoader.Plan(warehouse, data, mode, null);
        DatasetLoader.Run(warehouse, plan, lines, CancellationToken.None);
        return lines.All;
    }

    private sealed class Lines : IProgress<string>
    {
        private readonly List<string> _lines = [];
        public List<string> All { get { lock (_lines) return [.. _lines]; } }
        public void Report(string value) { lock (_lines) _lines.Add(value); }
    }

    internal static bool IsAppend(RecordedRequest r) => r.Method == "POST" && r.Path.EndsWith("/rows", StringComparison.Ordinal);

    private static List<RecordedRequest> Appends(SnowflakeTestKit kit) => [.. kit.Server.Requests.Where(IsAppend)];

    private static string Channel(RecordedRequest append) => append.Path.Split('/')[^2] + "@" + append.Path.Split('/')[^4];

    /// <summary>Each channel's committed offsets only go up: no row was committed twice.</summary>
    private static void AssertNoOffsetCommittedTwice(SnowflakeTestKit kit)
    {
        foreach (var channel in kit.Server.Streaming.CommittedOffsets.GroupBy(c => c.Channel))
            Assert.That(channel.Select(c => c.Offset), Is.Ordered.Ascending.And.Unique, channel.Key);
    }

    /// <summary>
    /// Every RAW table holds exactly the CSV file's rows (the file's columns; an empty field is NULL; PROPERTIES compared
    /// as JSON), each once.
    /// </summary>
    internal static void AssertRawMatchesCsv(SnowflakeTestKit kit, string dataset)
    {
        foreach (var table in RawSchema.Tables)
        {
            var expected = ExpectedRows.GetOrAdd(Path.Combine(dataset, table.File), file => new Lazy<List<string>>(() =>
                CsvRows(file, table.Columns.Length).Select(r => Normalised(table, r)).Order(StringComparer.Ordinal).ToList())).Value;
            var actual = kit.Server.Warehouse.Table(table.Name)!.Select(r => Normalised(table, r[..table.Columns.Length])).Order(StringComparer.Ordinal).ToList();
            Assert.That(actual, Has.Count.EqualTo(expected.Count), table.Name);
            Assert.That(actual, Is.EqualTo(expected), table.Name);
        }
    }

    /// <summary>Each test dataset's files, normalised and sorted once for every test that compares RAW with them.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<List<string>>> ExpectedRows = new();

    private static IEnumerable<string?[]> CsvRows(string path, int width)
    {
        using var stream = File.OpenRead(path);
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = false });
        var header = true;
        while (csv.Read())
        {
            if (header) { header = false; continue; }
            var row = new string?[width];
            for (var i = 0; i < width; i++) row[i] = csv.GetString(i) is { Length: > 0 } value ? value : null;
            yield return row;
        }
    }

    private static string Normalised(RawTable table, string?[] row) => string.Join("\u0001", row.Select((value, i) =>
        value is null ? "<null>" : table.Columns[i] == "PROPERTIES" ? Json(value) : value));

    /// <summary>JSON in one canonical text (a value that is not JSON, as the JSON string it became).</summary>
    private static string Json(string value)
    {
        try { return JsonNode.Parse(value)?.ToJsonString() ?? "null"; }
        catch (System.Text.Json.JsonException) { return JsonValue.Create(value).ToJsonString(); }
    }
}
