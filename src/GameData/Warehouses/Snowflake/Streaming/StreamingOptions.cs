namespace GameData.Warehouses.Snowflake.Streaming;

/// <summary>How a streaming load paces itself. The defaults follow Snowflake's limits (the stricter page where pages differ).</summary>
/// <param name="ChannelsPerTable">Channels a table is split over, each with one request in flight.</param>
/// <param name="BatchBytes">
/// Uncompressed NDJSON per append; about 1.1 MB once compressed. Half as many appends as 4 MB took 25% less time in
/// the benchmark (each append waits a round trip); larger ones gained nothing and hold more memory.
/// </param>
/// <param name="MaxRequestBytes">At most this much per request after compression (4 MB).</param>
/// <param name="UnconfirmedBytesPerChannel">Rows sent but not yet committed that a channel keeps for a resend; past it, it waits.</param>
/// <param name="MinAppendInterval">At most 10 requests per second per channel.</param>
/// <param name="PollInterval">Between two status requests while waiting for commits.</param>
/// <param name="CommitTimeout">How long committing may take before the load gives up.</param>
/// <param name="MaxReopens">Reopens in a row without any row committed before the load gives up.</param>
public sealed record StreamingOptions(
    int ChannelsPerTable = 4,
    int BatchBytes = 8_000_000,
    int MaxRequestBytes = 4 * 1024 * 1024,
    long UnconfirmedBytesPerChannel = 32_000_000,
    TimeSpan? MinAppendInterval = null,
    TimeSpan? PollInterval = null,
    TimeSpan? CommitTimeout = null,
    int MaxReopens = 20)
{
    public TimeSpan AppendInterval => MinAppendInterval ?? TimeSpan.FromMilliseconds(100);
    public TimeSpan Poll => PollInterval ?? TimeSpan.FromMilliseconds(500);
    public TimeSpan CommitWait => CommitTimeout ?? TimeSpan.FromMinutes(10);
}
