using System.Globalization;
using GameData.Loading;
using GameData.Settings;
using GameData.Warehouses;

namespace GameData.Chain;

/// <summary>
/// <c>--batch next</c>, the chain's one backward flow: Generate asks the warehouse which batch comes next. The
/// batch after the highest one in the RAW tables, its window the 31 days after the latest load's window
/// (declared by the manifest in the dataset folder when it is that load's), else after their latest event (the
/// course's incremental exercise). An explicit --start moves the window (the end follows it); an explicit --end
/// still wins.
/// </summary>
public static class NextBatchWindow
{
    /// <summary><paramref name="layers"/> with the batch and window resolved, or as they are when the batch is not <c>next</c>.</summary>
    public static SettingLayers Resolve(SettingLayers layers, string directory)
    {
        if (layers.Get("LOAD_BATCH_ID") is not { Text: var batch } || !batch.Equals("next", StringComparison.OrdinalIgnoreCase))
            return layers;
        var warehouse = WarehouseSettings.From(layers);
        RawState? state = null;
        if (warehouse.Provider.MayBeMigrated(warehouse))
            using (var opened = Warehouse.Open(warehouse, _ => { }, TimeSpan.FromSeconds(30))) state = opened.ReadState();
        var (next, start, end) = NextBatch.After(state, NextBatch.DeclaredBy(directory, state));
        var resolved = new List<KeyValuePair<string, string?>> { new("LOAD_BATCH_ID", next.ToString(CultureInfo.InvariantCulture)) };
        if (layers.Get("EVENT_DATE_START") is { Source: "flags", Text: var given } &&
            DateOnly.TryParseExact(given, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var givenStart))
            (start, end) = (givenStart, givenStart.AddDays(NextBatch.WindowDays - 1));
        else resolved.Add(new("EVENT_DATE_START", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (layers.Get("EVENT_DATE_END")?.Source != "flags")
            resolved.Add(new("EVENT_DATE_END", end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        return layers.Add($"--batch next ({warehouse.Describe()})", resolved);
    }
}
