using System.Globalization;
using System.Text.Json.Nodes;

namespace GameData.Warehouses.Snowflake.Streaming;

/// <summary>What Snowflake says of a channel: the last offset token it committed (a row number here) and the rows it rejected.</summary>
public sealed record ChannelStatus(string Name, long? LastCommittedOffset, long RowsErrorCount, string? StatusCode)
{
    public static ChannelStatus From(string name, JsonNode? json)
    {
        var offset = json?["last_committed_offset_token"]?.ToString();
        // rows_error_count in the REST reference; rows_errors in some SDKs' models.
        var errors = (json?["rows_error_count"] ?? json?["rows_errors"])?.ToString();
        return new ChannelStatus(name,
            long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var committed) ? committed : null,
            long.TryParse(errors, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0,
            json?["channel_status_code"]?.ToString());
    }
}

/// <summary>An open channel: where the next append continues, and what was committed when it was opened.</summary>
public sealed record OpenedChannel(string ContinuationToken, ChannelStatus Status);
