using GameData.Files;

namespace GameData.Loading;

public sealed record LoadCounts(TableCounts Players, TableCounts Sessions, TableCounts Events)
{
    public long Inserted => Players.Inserted + Sessions.Inserted + Events.Inserted;

    /// <summary>Counts from what the warehouse inserted, per RAW table, and the rows each file holds.</summary>
    public static LoadCounts From(IReadOnlyDictionary<RawTable, long> inserted, IReadOnlyDictionary<string, FileFacts> files)
    {
        TableCounts Of(RawTable table) => new(inserted[table], files[table.File].Rows - inserted[table]);
        return new LoadCounts(Of(RawSchema.Players), Of(RawSchema.Sessions), Of(RawSchema.Events));
    }
}
