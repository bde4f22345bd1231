namespace GameData.Warehouses.Snowflake.Streaming;

/// <summary>
/// Which path fills the staging tables, said in one line. <c>auto</c> streams when the credential can (a key pair, or
/// an OAuth token; programmatic access tokens are not documented for Snowpipe Streaming) and the account answers the
/// hostname and token requests; otherwise it uses the SQL API and says why. <c>streaming</c> fails instead.
/// </summary>
internal static class IngestChoice
{
    private const string SqlPath = "staging through the SQL API";

    /// <summary>A connected client, or null for the SQL path.</summary>
    public static SnowpipeStreamingClient? Connect(SnowflakeSettings settings, ISnowflakeCredential credential, RetryPolicy retry,
        HttpMessageHandler? handler, IProgress<string> steps, CancellationToken cancellation)
    {
        if (settings.Ingest == SnowflakeIngest.Sql)
        {
            steps.Report($"{SqlPath} (--snowflake-ingest sql)");
            return null;
        }
        if (!SnowpipeStreamingClient.CanStream(credential))
        {
            const string why = "a programmatic access token (SNOWFLAKE_TOKEN) cannot open Snowpipe Streaming channels; " +
                               "a key pair (SNOWFLAKE_PRIVATE_KEY_PATH) or an OAuth token can";
            if (settings.Ingest == SnowflakeIngest.Streaming) throw new SnowflakeException($"--snowflake-ingest streaming: {why}");
            steps.Report($"{SqlPath}: {why}");
            return null;
        }
        // A handler given (by a test) is shared by every load of the warehouse: not disposed with one client.
        var client = new SnowpipeStreamingClient(settings.ApiUrl, credential, retry, handler is null ? null : new SharedHandler(handler));
        try
        {
            client.ConnectAsync(cancellation).GetAwaiter().GetResult();
            steps.Report($"staging through Snowpipe Streaming ({client.IngestHost!.Authority})");
            return client;
        }
        catch (SnowflakeException e) when (settings.Ingest == SnowflakeIngest.Auto)
        {
            client.Dispose();
            steps.Report($"{SqlPath}: Snowpipe Streaming is not available here ({e.Message})");
            return null;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Passes requests on to a handler it does not own.</summary>
    private sealed class SharedHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing) { /* the owner disposes the inner handler */ }
    }
}
