namespace GameData.Settings;

/// <summary>
/// The event window: from the start day at 00:00:00 up to, but not including, the day after the end day.
/// Times are whole seconds since 0001-01-01 00:00:00, naive like the reference's.
/// </summary>
public readonly record struct EventWindow(DateOnly StartDay, DateOnly EndDay)
{
    public long RangeStart => StartDay.DayNumber * 86_400L;
    public long RangeEnd => (EndDay.DayNumber + 1) * 86_400L;
    public long Seconds => RangeEnd - RangeStart;
    public bool Contains(long time) => time >= RangeStart && time < RangeEnd;
}
