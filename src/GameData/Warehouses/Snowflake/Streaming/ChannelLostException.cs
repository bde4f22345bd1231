namespace GameData.Warehouses.Snowflake.Streaming;

/// <summary>
/// An append whose fate is unknown or refused as out of sequence (409, STALE_CONTINUATION_TOKEN_SEQUENCER, a connection
/// dropped before the answer): the channel is reopened and resumes after its last committed offset.
/// </summary>
internal sealed class ChannelLostException(string reason, Exception? inner = null) : Exception(reason, inner);
