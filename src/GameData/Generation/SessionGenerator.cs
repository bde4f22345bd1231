using GameData.Settings;

namespace GameData.Generation;

/// <summary>One generated session; <see cref="Platform"/> indexes <see cref="GameCatalog.Platforms"/>.</summary>
public readonly record struct Session(long Number, long Start, long End, int Platform);

/// <summary>The sessions stage (GENERATOR.md section 4), with its own freshly seeded generator.</summary>
public sealed class SessionGenerator(GenerationSettings settings)
{
    public const string Header = "session_id,player_id,session_start,session_end,platform";

    private readonly PythonRandom _random = new(settings.Seed);
    private readonly EventWindow _window = settings.Window;
    private readonly int _maxSessions = settings.MaxSessionsPerPlayer;
    private long _number;

    /// <summary>Replaces the contents of <paramref name="sessions"/> with the player's sessions, in order.</summary>
    public void Generate(in Player player, List<Session> sessions)
    {
        sessions.Clear();
        var count = Math.Max(1, (long)Math.Truncate(_random.ExpoVariate(0.2)));
        count = Math.Min(count, _maxSessions);
        var lastEnd = Math.Max(player.FirstSeenAt, _window.RangeStart);
        for (var i = 0; i < count; i++)
        {
            var gapDays = _random.RandInt(0, 5);
            var gapHours = _random.RandInt(0, 12);
            var start = lastEnd + gapDays * 86_400L + gapHours * 3_600L;
            var (min, max) = GameCatalog.SessionMinutes[_random.WeightedIndex(GameCatalog.SessionLengthWeights)];
            var end = start + _random.RandInt(min, max) * 60L;
            start = Math.Max(start, _window.RangeStart);
            end = Math.Min(end, _window.RangeEnd);
            if (start >= end) continue; // the reference skips it: no more draws, no number used
            var platform = _random.WeightedIndex(GameCatalog.PlatformWeights);
            sessions.Add(new Session(++_number, start, end, platform));
            lastEnd = end;
        }
    }

    public static void WriteRow(RawCsvWriter csv, RawIds ids, in Player player, in Session session)
    {
        csv.Write(ids.Session);
        csv.Write(session.Number);
        csv.Write((byte)',');
        csv.Write(ids.Player);
        csv.Write(player.Number);
        csv.Write((byte)',');
        csv.WriteTimestamp(session.Start);
        csv.Write((byte)',');
        csv.WriteTimestamp(session.End);
        csv.Write((byte)',');
        csv.Write(GameCatalog.PlatformNames[session.Platform]);
        csv.EndLine();
    }
}
