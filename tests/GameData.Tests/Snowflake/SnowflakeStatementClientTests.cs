using System.Text.Json.Nodes;
using FakeSnowflake;
using GameData.Warehouses.Snowflake;

namespace GameData.Tests.Snowflake;

/// <summary>The SQL API client against a local server playing Snowflake's documented responses.</summary>
[Parallelizable(ParallelScope.All)]
public class SnowflakeStatementClientTests
{
    [Test]
    public async Task Sends_the_documented_headers_body_and_a_fresh_request_id()
    {
        using var kit = new SnowflakeTestKit();
        kit.Server.Intercept = _ => SnowflakeTestKit.Ok(["1"]);
        using var client = kit.Client();

        await client.ExecuteAsync("SELECT 1");
        await client.ExecuteAsync("SELECT 2");

        var requests = kit.Server.Requests;
        var first = requests[0];
        Assert.That((first.Method, first.Path), Is.EqualTo(("POST", "/api/v2/statements")));
        Assert.That(first.Header("Authorization"), Does.StartWith("Bearer ey"));
        Assert.That(first.Header("X-Snowflake-Authorization-Token-Type"), Is.EqualTo("KEYPAIR_JWT"));
        Assert.That(first.Header("Accept"), Is.EqualTo("application/json"));
        Assert.That(first.Header("Content-Type"), Does.StartWith("application/json"));
        Assert.That(first.Header("User-Agent"), Does.StartWith("gamedata/"));
        Assert.That(first.Body!["statement"]!.GetValue<string>(), Is.EqualTo("SELECT 1"));
        Assert.That(first.Body!["database"]!.GetValue<string>(), Is.EqualTo("GAME_ANALYTICS"));
        Assert.That(first.Body!["schema"]!.GetValue<string>(), Is.EqualTo("RAW"));
        Assert.That(first.Body!["warehouse"]!.GetValue<string>(), Is.EqualTo("COMPUTE_WH"));
        Assert.That(first.Retry, Is.False);
        Assert.That(Guid.TryParse(first.RequestId, out _), Is.True);
        Assert.That(requests[1].RequestId, Is.Not.EqualTo(first.RequestId), "a fresh requestId per statement");
    }

    [Test]
    public async Task A_programmatic_access_token_is_sent_as_the_bearer_with_its_type()
    {
        using var kit = new SnowflakeTestKit();
        kit.Values.Remove("SNOWFLAKE_PRIVATE_KEY_PATH");
        kit.Values["SNOWFLAKE_TOKEN"] = "pat-secret-value";
        kit.Server.Intercept = _ => SnowflakeTestKit.Ok(["1"]);
        using var client = kit.Client();
        await client.ExecuteAsync("SELECT 1");
        Assert.That(kit.Server.Requests[0].Header("Authorization"), Is.EqualTo("Bearer pat-secret-value"));
        Assert.That(kit.Server.Requests[0].Header("X-Snowflake-Authorization-Token-Type"), Is.EqualTo("PROGRAMMATIC_ACCESS_TOKEN"));
    }

    [Test]
    public async Task Answer_200_gives_columns_rows_and_rows_inserted()
    {
        using var kit = new SnowflakeTestKit();
        kit.Server.Intercept = _ => new FakeResponse(200, FakeSnowflakeServer.Result("h1", ["ID", "NAME"], [["1", "a"], ["2", null]], inserted: 2));
        using var client = kit.Client();
        var result = await client.ExecuteAsync("INSERT ...");
        Assert.That(result.Columns, Is.EqualTo(new[] { "ID", "NAME" }));
        Assert.That(result.Rows, Is.EqualTo(new[] { new[] { "1", "a" }, new[] { "2", null } }));
        Assert.That((result.StatementHandle, result.RowsInserted), Is.EqualTo(("h1", 2L)));
    }

    [Test]
    public async Task Answer_202_is_polled_until_the_statement_finishes()
    {
        using var kit = new SnowflakeTestKit();
        var polls = 0;
        kit.Server.Intercept = r => r.Method switch
        {
            "POST" => new FakeResponse(202, new JsonObject { ["code"] = "333334", ["statementHandle"] = "h-202", ["message"] = "Asynchronous execution in progress." }),
            _ when r.Path == "/api/v2/statements/h-202" && ++polls < 3 => new FakeResponse(202, new JsonObject { ["code"] = "333334", ["statementHandle"] = "h-202" }),
            _ => new FakeResponse(200, FakeSnowflakeServer.Result("h-202", ["N"], [["42"]])),
        };
        using var client = kit.Client();
        var result = await client.ExecuteAsync("SELECT slow()");
        Assert.That(result.Rows.Single(), Is.EqualTo(new[] { "42" }));
        Assert.That(kit.Server.Requests.Count(r => r.Method == "GET" && r.Path == "/api/v2/statements/h-202"), Is.EqualTo(3));
    }

    [Test]
    public async Task Every_result_partition_is_fetched()
    {
        using var kit = new SnowflakeTestKit();
        kit.Server.Intercept = r => r.Partition switch
        {
            null => new FakeResponse(200, FakeSnowflakeServer.Result("h-p", ["N"], [["0"], ["1"]], partitions: 3)),
            var p => new FakeResponse(200, new JsonObject { ["data"] = new JsonArray(new JsonArray($"{p}0"), new JsonArray($"{p}1")) }),
        };
        using var client = kit.Client();
        var result = await client.ExecuteAsync("SELECT n FROM big");
        Assert.That(result.Rows.Select(r => r[0]), Is.EqualTo(new[] { "0", "1", "10", "11", "20", "21" }));
        Assert.That(kit.Server.Requests.Where(r => r.Partition is not null).Select(r => (r.Path, r.Partition)),
            Is.EqualTo(new[] { ("/api/v2/statements/h-p", "1"), ("/api/v2/statements/h-p", "2") }));
    }

    [Test]
    public void Answer_422_is_one_message_with_code_and_sql_state()
    {
        using var kit = new SnowflakeTestKit();
        kit.Server.Intercept = _ => new FakeResponse(422, new JsonObject
        {
            ["code"] = "002003", ["sqlState"] = "42S02", ["statementHandle"] = "h-e",
            ["message"] = "SQL compilation error:\nObject 'RAW.NOPE' does not exist or not authorized.",
        });
        using var client = kit.Client();
        var error = Assert.ThrowsAsync<SnowflakeException>(() => client.ExecuteAsync("SELECT * FROM NOPE"));
        Assert.That(error!.Message, Is.EqualTo("Snowflake error 002003 (42S02): SQL compilation error:"));
        Assert.That((error.Code, error.SqlState), Is.EqualTo(("002003", "42S02")));
        Assert.That(kit.Server.Requests, Has.Count.EqualTo(1), "a SQL error is not retried");
    }

    [TestCase(429, "390505", TestName = "429 then 200 is retried with the same requestId")]
    [TestCase(503, "", TestName = "503 then 200 is retried with the same requestId")]
    [TestCase(504, "", TestName = "504 then 200 is retried with the same requestId")]
    public async Task Transient_answer_then_200(int status, string code)
    {
        using var kit = new SnowflakeTestKit();
        var calls = 0;
        kit.Server.Intercept = r => ++calls == 1 ? SnowflakeTestKit.Status(status, code, "Too many requests") : kit.Server.Answer(r);
        using var client = kit.Client();

        var result = await client.ExecuteAsync("SELECT count(*) FROM information_schema.tables WHERE upper(table_schema) = upper('RAW') AND upper(table_name) = upper('X')");

        Assert.That(result.Rows.Single(), Is.EqualTo(new[] { "0" }));
        var requests = kit.Server.Requests;
        Assert.That(requests, Has.Count.EqualTo(2));
        Assert.That(requests[1].RequestId, Is.EqualTo(requests[0].RequestId));
        Assert.That((requests[0].Retry, requests[1].Retry), Is.EqualTo((false, true)));
    }

    [Test]
    public async Task Connection_dropped_after_the_server_ran_the_statement_does_not_run_it_twice()
    {
        using var kit = new SnowflakeTestKit();
        using var client = kit.Client();
        await client.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS RAW");
        await client.ExecuteAsync("CREATE TRANSIENT TABLE RAW.T (A VARCHAR)");
        var dropped = false;
        kit.Server.Intercept = r =>
        {
            if (dropped || r.Statement?.StartsWith("INSERT", StringComparison.Ordinal) != true) return null;
            dropped = true;
            kit.Server.Answer(r); // the server runs it...
            return new FakeResponse(0, DropConnection: true); // ...and the answer never arrives
        };
        var executionsBefore = kit.Server.Executions;

        var result = await client.ExecuteAsync("INSERT INTO RAW.T (A) SELECT column1 FROM VALUES ('x'), ('y')");

        Assert.That(result.RowsInserted, Is.EqualTo(2));
        Assert.That(kit.Server.Executions - executionsBefore, Is.EqualTo(1), "ran once");
        Assert.That(kit.Server.Warehouse.Table("T"), Has.Count.EqualTo(2), "no duplicate rows");
        var inserts = kit.Server.Requests.Where(r => r.Statement?.StartsWith("INSERT", StringComparison.Ordinal) == true).ToList();
        Assert.That(inserts.Select(r => (r.RequestId, r.Retry)), Is.EqualTo(new[] { (inserts[0].RequestId, false), (inserts[0].RequestId, true) }));
    }

    [Test]
    public async Task A_request_that_times_out_is_retried_with_the_same_request_id()
    {
        using var kit = new SnowflakeTestKit();
        var calls = 0;
        using var retried = new ManualResetEventSlim();
        kit.Server.Intercept = _ =>
        {
            // The first answer comes only once the client, tired of waiting for it, has asked again.
            if (Interlocked.Increment(ref calls) == 1) retried.Wait(TimeSpan.FromSeconds(30));
            else retried.Set();
            return SnowflakeTestKit.Ok(["1"]);
        };
        using var client = new SnowflakeStatementClient(kit.Server.Url, kit.Settings.Snowflake!.Credential(), kit.Settings.Snowflake!.Context("RAW"),
            new RetryPolicy(3, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), RequestTimeout: TimeSpan.FromMilliseconds(400)));

        var result = await client.ExecuteAsync("SELECT 1");

        Assert.That(result.Rows.Single(), Is.EqualTo(new[] { "1" }));
        var requests = kit.Server.Requests;
        Assert.That(requests.Select(r => (r.RequestId, r.Retry)), Is.EqualTo(new[] { (requests[0].RequestId, false), (requests[0].RequestId, true) }));
    }

    [Test]
    public void Retries_exhausted_fail_with_one_clear_message()
    {
        using var kit = new SnowflakeTestKit();
        kit.Server.Intercept = _ => SnowflakeTestKit.Status(503, "", "Service Unavailable");
        using var client = kit.Client(attempts: 3);
        var error = Assert.ThrowsAsync<SnowflakeException>(() => client.ExecuteAsync("SELECT 1"));
        Assert.That(error!.Message, Is.EqualTo("Snowflake did not answer after 3 attempts: HTTP 503: Service Unavailable"));
        Assert.That(kit.Server.Requests, Has.Count.EqualTo(3));
        Assert.That(kit.Server.Requests.Select(r => r.RequestId).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void Retry_After_is_honoured()
    {
        using var kit = new SnowflakeTestKit();
        var calls = 0;
        kit.Server.Intercept = _ => ++calls == 1 ? new FakeResponse(429, new JsonObject { ["code"] = "390505" }, RetryAfterSeconds: "1") : SnowflakeTestKit.Ok(["1"]);
        using var client = kit.Client();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        client.ExecuteAsync("SELECT 1").GetAwaiter().GetResult();
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)));
    }

    [Test]
    public void Unauthorized_is_one_clear_message_after_a_single_retry_with_a_newly_signed_JWT()
    {
        using var kit = new SnowflakeTestKit();
        kit.Server.Intercept = _ => SnowflakeTestKit.Status(401, "390144", "JWT token is invalid.");
        using var client = kit.Client();
        var error = Assert.ThrowsAsync<SnowflakeException>(() => client.ExecuteAsync("SELECT 1"));
        Assert.That(error!.Message, Is.EqualTo("Snowflake refused the credentials (HTTP 401, code 390144): JWT token is invalid."));
        Assert.That(kit.Server.Requests, Has.Count.EqualTo(2));
        Assert.That(kit.Server.Requests.Select(r => r.Header("Authorization")).Distinct().Count(), Is.EqualTo(2), "the retry carried a new JWT");
    }

    [Test]
    public void Cancellation_stops_polling_and_asks_Snowflake_to_cancel()
    {
        using var kit = new SnowflakeTestKit();
        kit.Server.Intercept = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)
            ? SnowflakeTestKit.Ok()
            : new FakeResponse(202, new JsonObject { ["code"] = "333334", ["statementHandle"] = "h-long" });
        using var client = kit.Client();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));
        Assert.That(() => client.ExecuteAsync("SELECT forever()", null, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(kit.Server.Requests.Any(r => r.Method == "POST" && r.Path == "/api/v2/statements/h-long/cancel"), Is.True);
    }

    [Test]
    public async Task Bindings_and_multi_statement_count_are_sent_as_documented()
    {
        using var kit = new SnowflakeTestKit();
        kit.Server.Intercept = _ => SnowflakeTestKit.Ok();
        using var client = kit.Client();
        await client.ExecuteAsync("SELECT ?, ?", new StatementOptions(Bindings: ["a", null]));
        await client.ExecuteAsync("BEGIN; SELECT 1; COMMIT", new StatementOptions(MultiStatementCount: 0));
        var (single, multi) = (kit.Server.Requests[0].Body!, kit.Server.Requests[1].Body!);
        Assert.That(single["bindings"]!.ToJsonString(), Is.EqualTo("{\"1\":{\"type\":\"TEXT\",\"value\":\"a\"},\"2\":{\"type\":\"TEXT\",\"value\":null}}"));
        Assert.That(multi["parameters"]!["MULTI_STATEMENT_COUNT"]!.GetValue<string>(), Is.EqualTo("0"));
    }
}
