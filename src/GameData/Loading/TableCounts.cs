namespace GameData.Loading;

/// <summary>Rows inserted and skipped (primary key already there) for one RAW table.</summary>
public sealed record TableCounts(long Inserted, long Skipped);
