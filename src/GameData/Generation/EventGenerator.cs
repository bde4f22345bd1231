using GameData.Settings;
using static GameData.Generation.GameCatalog;

namespace GameData.Generation;

/// <summary>
/// The events stage (GENERATOR.md section 5), with its own freshly seeded generator. Every event takes
/// the next number when it is created; only events inside the window are written, so IDs keep gaps.
/// Draws happen in exactly the reference's order, so each event draws all its values before it is written.
/// </summary>
public sealed class EventGenerator
{
    public const string Header = "event_id,event_time,player_id,event_name,platform,game_version,properties";

    private readonly PythonRandom _random;
    private readonly EventWindow _window;
    private readonly RawCsvWriter _csv;
    private readonly RawIds _ids;
    private readonly byte[] _gameVersionField;
    private long _nextNumber;

    // Set per session, used by every row of it.
    private Player _player;
    private byte[] _platform = [];
    private bool _firstProperty;

    public EventGenerator(GenerationSettings settings, RawCsvWriter csv, RawIds ids)
    {
        _random = new PythonRandom(settings.Seed);
        _window = settings.Window;
        _csv = csv;
        _ids = ids;
        _gameVersionField = RawCsvWriter.EncodeField(settings.GameVersion);
    }

    /// <summary>Events created so far, written or not.</summary>
    public long Created => _nextNumber;

    public void Generate(in Player player, in Session session)
    {
        _player = player;
        _platform = PlatformNames[session.Platform];
        long start = session.Start, end = session.End;
        var deathChance = DeathChance[player.Difficulty];

        var maxChapter = _random.RandInt(1, 10);
        var rageQuitIndex = (int)_random.Below(maxChapter + 1); // index maxChapter is "none"
        var rageQuitChapter = rageQuitIndex == maxChapter ? 0 : rageQuitIndex + 1;

        GameStarted(start);
        int totalDeaths = 0, totalKills = 0, chaptersCompleted = 0;
        for (var chapter = 1; chapter <= maxChapter; chapter++)
        {
            var chapterStart = RandomTime(start, end);
            ChapterStarted(chapter, chapterStart);

            var checkpoints = _random.RandInt(2, 5);
            for (var checkpoint = 1; checkpoint < checkpoints; checkpoint++)
                CheckpointReached(chapter, checkpoint, chapterStart, end);

            var kills = _random.RandInt(2, 10);
            var chapterKills = 0;
            for (var i = 0; i < kills; i++)
            {
                EnemyKilled(chapter, chapterStart, end);
                chapterKills++;
            }
            totalKills += chapterKills;

            var chapterDeaths = 0;
            if (_random.NextDouble() < deathChance)
            {
                chapterDeaths++;
                totalDeaths++;
                PlayerDied(chapter, chapterStart, end, chapterDeaths);
                if (rageQuitChapter == chapter) break;
            }

            if (_random.NextDouble() < 0.4) ItemCrafted(chapter, chapterStart, end);

            if (!(_random.NextDouble() < 0.85)) break;
            ChapterCompleted(chapter, chapterStart, end, chapterDeaths, chapterKills);
            chaptersCompleted++;
        }
        GameClosed(start, end, totalDeaths, totalKills, chaptersCompleted);
    }

    private long RandomTime(long from, long to) => from + _random.RandInt(0, to - from);

    private void GameStarted(long time)
    {
        var loadTime = _random.RandInt(2000, 8000);
        var resolution = _random.Choice(Resolutions);
        var fpsTarget = _random.Choice(FpsTargets);
        var audioQuality = _random.Choice(AudioQualities);
        if (!Begin(time, "game_started"u8)) return;
        Int("load_time_ms"u8, loadTime);
        Text("resolution"u8, resolution);
        Int("fps_target"u8, fpsTarget);
        Text("audio_quality"u8, audioQuality);
        End();
    }

    private void ChapterStarted(int chapter, long time)
    {
        var location = _random.Choice(Locations);
        var weather = _random.Choice(Weathers);
        var timeOfDay = _random.Choice(TimesOfDay);
        if (!Begin(time, "chapter_started"u8)) return;
        Int("chapter_id"u8, chapter);
        Text("chapter_name"u8, Chapters[Math.Min(chapter, 10) - 1]);
        Text("location"u8, location);
        Text("weather"u8, weather);
        Text("time_of_day"u8, timeOfDay);
        End();
    }

    private void CheckpointReached(int chapter, int checkpoint, long chapterStart, long sessionEnd)
    {
        var time = RandomTime(chapterStart, sessionEnd);
        var health = _random.RandInt(20, 100);
        var ammo = _random.RandInt(0, 200);
        var inventory = _random.RandInt(5, 25);
        if (!Begin(time, "checkpoint_reached"u8)) return;
        Int("chapter_id"u8, chapter);
        Int("checkpoint_id"u8, checkpoint);
        Int("time_since_chapter_start_seconds"u8, time - chapterStart);
        Int("health_percentage"u8, health);
        Int("ammo_count"u8, ammo);
        Int("inventory_items"u8, inventory);
        End();
    }

    private void EnemyKilled(int chapter, long chapterStart, long sessionEnd)
    {
        var enemyType = (int)_random.Below(EnemyTypes.Length);
        var enemyName = _random.Choice(EnemiesByType[enemyType]);
        var weaponType = (int)_random.Below(WeaponTypes.Length);
        var weaponName = _random.Choice(WeaponsByType[weaponType]);
        var headshot = _random.NextDouble() < 0.3;
        var damage = headshot ? _random.RandInt(150, 300) : _random.RandInt(50, 200);
        var time = RandomTime(chapterStart, sessionEnd);
        var distance = _random.RandInt(5, 50);
        var xp = _random.RandInt(10, 50);
        var stealth = _random.NextDouble() < 0.2;
        if (!Begin(time, "enemy_killed"u8)) return;
        Int("chapter_id"u8, chapter);
        Text("enemy_type"u8, EnemyTypes[enemyType]);
        Text("enemy_name"u8, enemyName);
        Text("weapon_type"u8, WeaponTypes[weaponType]);
        Text("weapon_name"u8, weaponName);
        Int("damage_dealt"u8, damage);
        Bool("headshot"u8, headshot);
        Int("distance_meters"u8, distance);
        Int("xp_gained"u8, xp);
        Bool("stealth_kill"u8, stealth);
        End();
    }

    private void PlayerDied(int chapter, long chapterStart, long sessionEnd, int deathsInChapter)
    {
        var time = RandomTime(chapterStart, sessionEnd);
        var reason = _random.Choice(DeathReasons);
        var health = _random.RandInt(0, 30);
        var lastEnemy = _random.Choice(LastEnemyTypes);
        var location = _random.Choice(Locations);
        if (!Begin(time, "player_died"u8)) return;
        Int("chapter_id"u8, chapter);
        Text("death_reason"u8, reason);
        Int("health_at_death"u8, health);
        Int("time_survived_seconds"u8, time - chapterStart);
        Text("last_enemy_type"u8, lastEnemy);
        Text("location"u8, location);
        Int("death_count_in_chapter"u8, deathsInChapter);
        End();
    }

    private void ItemCrafted(int chapter, long chapterStart, long sessionEnd)
    {
        var item = (int)_random.Below(CraftedItems.Length);
        var time = RandomTime(chapterStart, sessionEnd);
        var craftingTime = _random.RandInt(2, 8);
        var success = _random.NextDouble() > 0.1;
        var workbench = _random.NextDouble() < 0.3;
        if (!Begin(time, "item_crafted"u8)) return;
        Int("chapter_id"u8, chapter);
        Text("item_type"u8, CraftedItems[item]);
        TextList("materials_used"u8, MaterialsByItem[item]);
        Int("crafting_time_seconds"u8, craftingTime);
        Bool("success"u8, success);
        Bool("workbench_used"u8, workbench);
        End();
    }

    private void ChapterCompleted(int chapter, long chapterStart, long sessionEnd, int deaths, int kills)
    {
        var time = RandomTime(chapterStart, sessionEnd);
        var score = _random.RandInt(500, 5000);
        var collectibles = _random.RandInt(0, 5);
        var accuracy = PythonFloat.Round1(_random.Uniform(45, 95));
        if (!Begin(time, "chapter_completed"u8)) return;
        Int("chapter_id"u8, chapter);
        Int("completion_time_seconds"u8, time - chapterStart);
        Int("score"u8, score);
        Int("collectibles_found"u8, collectibles);
        Int("deaths_count"u8, deaths);
        Int("enemies_killed"u8, kills);
        Float("accuracy_percentage"u8, accuracy);
        End();
    }

    private void GameClosed(long start, long end, int deaths, int kills, int chaptersCompleted)
    {
        var reason = _random.Choice(CloseReasons);
        var achievements = _random.RandInt(0, 3);
        var finalScore = _random.RandInt(1000, 50000);
        if (!Begin(end, "game_closed"u8)) return;
        Int("session_duration_seconds"u8, end - start);
        Text("reason"u8, reason);
        Int("total_deaths"u8, deaths);
        Int("total_enemies_killed"u8, kills);
        Int("chapters_completed"u8, chaptersCompleted);
        Int("achievements_unlocked"u8, achievements);
        Int("final_score"u8, finalScore);
        End();
    }

    // Row writing. The properties field always holds quotes, so it is written quoted with quotes doubled:
    // "{""key"": 1, ""name"": ""value""}"

    /// <summary>Numbers the event and, if it falls inside the window, starts its row up to the properties.</summary>
    private bool Begin(long time, ReadOnlySpan<byte> eventName)
    {
        var number = _nextNumber++;
        if (!_window.Contains(time)) return false;
        _csv.Write(_ids.Event);
        _csv.Write(number);
        _csv.Write((byte)',');
        _csv.WriteTimestamp(time);
        _csv.Write((byte)',');
        _csv.Write(_ids.Player);
        _csv.Write(_player.Number);
        _csv.Write((byte)',');
        _csv.Write(eventName);
        _csv.Write((byte)',');
        _csv.Write(_platform);
        _csv.Write((byte)',');
        _csv.Write(_gameVersionField);
        _csv.Write(",\"{"u8);
        _firstProperty = true;
        return true;
    }

    private void Key(ReadOnlySpan<byte> key)
    {
        _csv.Write(_firstProperty ? "\"\""u8 : ", \"\""u8);
        _firstProperty = false;
        _csv.Write(key);
        _csv.Write("\"\": "u8);
    }

    private void Int(ReadOnlySpan<byte> key, long value)
    {
        Key(key);
        _csv.Write(value);
    }

    private void Text(ReadOnlySpan<byte> key, byte[] value)
    {
        Key(key);
        Quoted(value);
    }

    private void Quoted(byte[] value)
    {
        _csv.Write("\"\""u8);
        _csv.Write(value);
        _csv.Write("\"\""u8);
    }

    private void Bool(ReadOnlySpan<byte> key, bool value)
    {
        Key(key);
        _csv.Write(value ? "true"u8 : "false"u8);
    }

    private void Float(ReadOnlySpan<byte> key, double value)
    {
        Key(key);
        _csv.Write(System.Text.Encoding.ASCII.GetBytes(PythonFloat.Repr(value)));
    }

    private void TextList(ReadOnlySpan<byte> key, byte[][] values)
    {
        Key(key);
        _csv.Write((byte)'[');
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) _csv.Write(", "u8);
            Quoted(values[i]);
        }
        _csv.Write((byte)']');
    }

    private void End()
    {
        _csv.Write("}\""u8);
        _csv.EndLine();
    }
}
