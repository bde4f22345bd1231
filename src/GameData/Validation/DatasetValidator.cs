using System.Collections;
using System.Text;
using GameData.Files;
using GameData.Generation;
using GameData.Settings;

namespace GameData.Validation;

/// <param name="Window">The window to check times against when there is no manifest; null skips that check.</param>
public sealed record ValidationOptions(string DataDirectory, bool Strict = false, EventWindow? Window = null);

/// <summary>
/// ValidateCsv: checks the three raw files (and the manifest, when there is one) before they reach a
/// warehouse. Files are streamed; memory holds only the player IDs and a per-player session index,
/// plus one bit per event ID number for the uniqueness check.
/// </summary>
public sealed class DatasetValidator
{
    private static readonly byte[][] Difficulties = GameCatalog.DifficultyNames;
    private static readonly byte[][] Platforms = GameCatalog.PlatformNames;
    private static readonly byte[][] Countries = Utf8Values(GameCatalog.Countries.Select(c => c.Country));
    private static readonly byte[][] Languages = Utf8Values(GameCatalog.Countries.Select(c => c.Language));

    private readonly ValidationOptions _options;
    private readonly ValidationReport _report;
    private readonly IProgress<double>? _progress;
    private readonly long _totalBytes;
    private long _bytesDone;

    private DatasetManifest? _manifest;
    private EventWindow? _window;
    private int _batch = 1;
    private readonly HashSet<long> _players = [];
    private bool _playersKnown;
    private readonly Dictionary<long, List<SessionSpan>> _sessionsByPlayer = [];

    /// <summary>A session's span; <see cref="Platform"/> is -1 when the session's platform is unknown.</summary>
    private readonly record struct SessionSpan(long Start, long End, int Platform);

    private DatasetValidator(ValidationOptions options, IProgress<double>? progress)
    {
        _options = options;
        _report = new ValidationReport(options.Strict);
        _progress = progress;
        _totalBytes = DatasetFiles.All.Select(f => Path.Combine(options.DataDirectory, f)).Where(File.Exists)
            .Sum(f => new FileInfo(f).Length);
    }

    /// <summary>Validates a dataset folder. Throws <see cref="SettingsException"/> when it cannot run (no such folder).</summary>
    public static ValidationReport Validate(ValidationOptions options, IProgress<double>? progress = null,
        CancellationToken cancellation = default)
    {
        if (!Directory.Exists(options.DataDirectory))
            throw new SettingsException($"no such data folder: '{options.DataDirectory}'");
        var validator = new DatasetValidator(options, progress);
        validator.Run(cancellation);
        return validator._report;
    }

    private void Run(CancellationToken cancellation)
    {
        ReadManifest();
        var facts = new Dictionary<string, (long Rows, string Sha256)>();
        foreach (var (name, header, check) in new (string, string, Action<RawCsvFile, CancellationToken>)[]
                 {
                     (DatasetFiles.Players, PlayerGenerator.Header, CheckPlayers),
                     (DatasetFiles.Sessions, SessionGenerator.Header, CheckSessions),
                     (DatasetFiles.Events, EventGenerator.Header, CheckEvents),
                 })
        {
            using var file = RawCsvFile.Open(_options.DataDirectory, name, header, _report);
            if (file is null) continue;
            check(file, cancellation);
            facts[name] = file.Finish();
            _report.RowsRead[name] = file.Rows;
            _report.Files[name] = new ManifestFile(facts[name].Rows, file.BytesRead, facts[name].Sha256);
            _bytesDone += file.BytesRead;
            _progress?.Report(Fraction(0));
        }
        _report.Batch = _batch;
        _report.CompleteExpectations();
        _report.Fingerprint = TrustedReport.Fingerprint(_options, DatasetFolder.Open(_options.DataDirectory).ManifestSha256(),
            DatasetFiles.All.Select(f => (f, facts.TryGetValue(f, out var fact) ? fact.Sha256 : (string?)null)));
        CompareWithManifest(facts);
    }

    private double Fraction(long bytesInCurrentFile) =>
        _totalBytes == 0 ? 1 : Math.Min(1, (double)(_bytesDone + bytesInCurrentFile) / _totalBytes);

    private void ReadManifest()
    {
        var folder = DatasetFolder.Open(_options.DataDirectory);
        if (folder.HasManifest)
        {
            try
            {
                _manifest = folder.Manifest ?? throw new InvalidDataException(folder.ManifestError);
                _batch = _manifest.Settings.Batch;
                _window = new EventWindow(DateOnly.Parse(_manifest.Settings.Start), DateOnly.Parse(_manifest.Settings.End));
                if (_manifest.Anomalies is { } anomalies) ReadAnomalies(anomalies);
                if (_options.Window is { } given && given != _window)
                    _report.Notices.Add($"event window from manifest.json: {_manifest.Settings.Start}..{_manifest.Settings.End} " +
                                        $"(--start/--end {given.StartDay:yyyy-MM-dd}..{given.EndDay:yyyy-MM-dd} " +
                                        $"apply only to files without a manifest)");
                return;
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
            {
                _report.Add(Rules.ManifestInvalid, DatasetManifest.FileName, 0, e.Message);
            }
        }
        else
        {
            _report.Notices.Add("no manifest.json: checksums and row counts are not compared");
        }
        _window = _options.Window;
        _report.Notices.Add(_window is { } w
            ? $"event window from --start/--end: {w.StartDay:yyyy-MM-dd}..{w.EndDay:yyyy-MM-dd}"
            : "no event window known (no manifest, no --start/--end): times are not checked against a window");
    }

    /// <summary>
    /// A dataset with defects on purpose: each violation anomalies.json declares is expected. The list must be the one
    /// the manifest records, else its declarations are not trusted (and every defect counts as unexpected).
    /// </summary>
    private void ReadAnomalies(ManifestAnomalies anomalies)
    {
        var path = Path.Combine(_options.DataDirectory, anomalies.File);
        if (!File.Exists(path))
        {
            _report.Add(Rules.ManifestInvalid, anomalies.File, 0, "manifest.json declares anomalies, but the file listing them is missing");
            return;
        }
        var sha256 = FileFacts.Of(path).Sha256;
        if (sha256 != anomalies.Sha256)
        {
            _report.Add(Rules.ManifestSha256, anomalies.File, 0,
                $"SHA-256 is {sha256[..12]}…, the manifest says {anomalies.Sha256[..Math.Min(12, anomalies.Sha256.Length)]}…");
            return;
        }
        var list = AnomalyList.Read(path);
        _report.Expect(list);
        _report.Notices.Add($"{list.Defects.Count:N0} defects declared in {anomalies.File} ({list.Spec}): their violations are expected");
    }

    private void CompareWithManifest(Dictionary<string, (long Rows, string Sha256)> facts)
    {
        if (_manifest is null) return;
        foreach (var (name, (rows, sha256)) in facts)
        {
            var expected = _manifest.Files[name];
            if (expected.Sha256 != sha256)
                _report.Add(Rules.ManifestSha256, name, 0,
                    $"SHA-256 is {sha256[..12]}…, the manifest says {expected.Sha256[..Math.Min(12, expected.Sha256.Length)]}…");
            if (expected.Rows != rows)
                _report.Add(Rules.ManifestRows, name, 0, $"{rows:N0} rows, the manifest says {expected.Rows:N0}");
        }
    }

    private void CheckPlayers(RawCsvFile file, CancellationToken cancellation)
    {
        _playersKnown = true;
        byte[]? prefix = null;
        byte[] Prefix()
        {
            // Without a manifest, the first row's ID tells the batch.
            if (prefix is null && _manifest is null) _batch = FieldParsers.BatchOf(file.Text(0), "player") ?? 1;
            return prefix ??= FieldParsers.IdPrefix("player", _batch);
        }
        file.OnSkippedRow = () =>
        {
            // A row broken in other ways still names its player: keep the ID so later files do not report orphans.
            if (FieldParsers.IdNumber(file.Field(0), Prefix()) is var skipped and > 0) _players.Add(skipped);
        };
        while (file.NextRow())
        {
            var number = Id(file, 0, Prefix(), "player");
            if (number >= 0 && !_players.Add(number))
                _report.Add(Rules.DuplicateKey, file.Name, file.Line, $"player_id '{file.Text(0)}' appeared before");
            var firstSeen = Time(file, 1, "first_seen_at");
            if (firstSeen >= 0) InWindow(file, firstSeen, "first_seen_at", endInclusive: false);
            OneOf(file, 2, Countries, ignoreCase: true, Rules.UnknownCountry, "country");
            OneOf(file, 3, Languages, ignoreCase: true, Rules.UnknownLanguage, "language");
            OneOf(file, 4, Difficulties, ignoreCase: false, Rules.UnknownDifficulty, "difficulty_selected");
            Tick(file, cancellation);
        }
    }

    private void CheckSessions(RawCsvFile file, CancellationToken cancellation)
    {
        var prefix = FieldParsers.IdPrefix("session", _batch);
        var playerPrefix = FieldParsers.IdPrefix("player", _batch);
        var sessionIds = new HashSet<long>();
        while (file.NextRow())
        {
            var number = Id(file, 0, prefix, "session");
            if (number >= 0 && !sessionIds.Add(number))
                _report.Add(Rules.DuplicateKey, file.Name, file.Line, $"session_id '{file.Text(0)}' appeared before");
            var player = KnownPlayer(file, 1, playerPrefix);
            var start = Time(file, 2, "session_start");
            var end = Time(file, 3, "session_end");
            if (start >= 0) InWindow(file, start, "session_start", endInclusive: false);
            if (end >= 0) InWindow(file, end, "session_end", endInclusive: true);
            if (start >= 0 && end >= 0 && start >= end)
                _report.Add(Rules.SessionOrder, file.Name, file.Line,
                    $"session_start {file.Text(2)} is not before session_end {file.Text(3)}");
            var platform = OneOf(file, 4, Platforms, ignoreCase: false, Rules.UnknownPlatform, "platform");
            if (player >= 0 && start >= 0 && end >= 0)
            {
                if (!_sessionsByPlayer.TryGetValue(player, out var list)) _sessionsByPlayer[player] = list = [];
                list.Add(new SessionSpan(start, end, platform));
            }
            Tick(file, cancellation);
        }
    }

    private void CheckEvents(RawCsvFile file, CancellationToken cancellation)
    {
        var prefix = FieldParsers.IdPrefix("event", _batch);
        var playerPrefix = FieldParsers.IdPrefix("player", _batch);
        var eventIds = new EventIdSet();
        using var properties = new PropertiesChecker(_report, file.Name);
        while (file.NextRow())
        {
            var number = Id(file, 0, prefix, "event");
            if (number >= 0 && !eventIds.Add(number))
                _report.Add(Rules.DuplicateKey, file.Name, file.Line, $"event_id '{file.Text(0)}' appeared before");
            var time = Time(file, 1, "event_time");
            // An event outside the window is reported once, not again as outside its sessions.
            if (time >= 0 && !InWindow(file, time, "event_time", endInclusive: false)) time = -1;
            var player = KnownPlayer(file, 2, playerPrefix);

            var schema = EventPropertySchema.For(file.Field(3));
            if (schema is null)
                _report.Add(Rules.UnknownEventName, file.Name, file.Line, $"event_name '{file.Text(3)}'");
            var platform = OneOf(file, 4, Platforms, ignoreCase: false, Rules.UnknownPlatform, "platform");
            if (file.Field(6).IsEmpty) _report.Add(Rules.MissingValue, file.Name, file.Line, "properties is empty");
            else if (schema is not null) properties.Add(schema, file.Field(6), file.Line);

            if (player >= 0 && time >= 0) MatchSession(file, player, time, platform);
            Tick(file, cancellation);
        }
        properties.Complete();
    }

    /// <summary>
    /// The event must fall in one of its player's sessions, on that session's platform. Back-to-back
    /// sessions share a boundary second, so any containing session with the same platform will do.
    /// </summary>
    private void MatchSession(RawCsvFile file, long player, long time, int platform)
    {
        var containing = -1;
        if (_sessionsByPlayer.TryGetValue(player, out var sessions))
            foreach (var session in sessions)
            {
                if (time < session.Start || time > session.End) continue;
                if (platform < 0 || session.Platform < 0 || session.Platform == platform) return;
                containing = session.Platform;
            }
        if (containing >= 0)
            _report.Add(Rules.PlatformMismatch, file.Name, file.Line,
                $"platform {file.Text(4)}, its session's is {Encoding.ASCII.GetString(Platforms[containing])}");
        else
            _report.Add(Rules.EventOutsideSession, file.Name, file.Line, $"{file.Text(1)} is in none of {file.Text(2)}'s sessions");
    }

    private long Id(RawCsvFile file, int field, byte[] prefix, string kind)
    {
        var number = FieldParsers.IdNumber(file.Field(field), prefix);
        if (kind == "player" && FieldParsers.IsTestAccount(file.Field(field)))
        {
            _report.Add(Rules.TestAccount, file.Name, file.Line, $"player_id '{file.Text(field)}'");
            return -1;
        }
        if (number < 0 || (kind != "event" && number == 0))
        {
            _report.Add(Rules.IdPattern, file.Name, file.Line,
                $"'{file.Text(field)}' is not of batch {_batch}'s pattern {Encoding.ASCII.GetString(prefix)}<n>");
            return -1;
        }
        return number;
    }

    /// <summary>The player's number if its ID is well-formed; reports an orphan when the players file lacks it.</summary>
    private long KnownPlayer(RawCsvFile file, int field, byte[] prefix)
    {
        var number = Id(file, field, prefix, "player");
        if (number < 0) return -1;
        if (_playersKnown && !_players.Contains(number))
        {
            _report.Add(Rules.OrphanPlayer, file.Name, file.Line, $"player_id '{file.Text(field)}' is not in {DatasetFiles.Players}");
            return -1;
        }
        return number;
    }

    private long Time(RawCsvFile file, int field, string column)
    {
        var time = FieldParsers.Timestamp(file.Field(field));
        if (time < 0) _report.Add(Rules.TimestampFormat, file.Name, file.Line, $"{column} '{file.Text(field)}'");
        return time;
    }

    /// <summary>False, after reporting it, when the time is outside the window; true when inside or no window is known.</summary>
    private bool InWindow(RawCsvFile file, long time, string column, bool endInclusive)
    {
        if (_window is not { } window) return true;
        var inside = time >= window.RangeStart && (endInclusive ? time <= window.RangeEnd : time < window.RangeEnd);
        if (!inside)
            _report.Add(Rules.OutsideWindow, file.Name, file.Line,
                $"{column} {DateTime.MinValue.AddSeconds(time):yyyy-MM-dd HH:mm:ss} is outside " +
                $"{window.StartDay:yyyy-MM-dd} 00:00:00..{window.EndDay.AddDays(1):yyyy-MM-dd} 00:00:00");
        return inside;
    }

    /// <summary>The index of the field's value in <paramref name="known"/>, or -1 after reporting it.</summary>
    private int OneOf(RawCsvFile file, int field, byte[][] known, bool ignoreCase, Rule rule, string column)
    {
        var value = file.Field(field);
        if (value.IsEmpty)
        {
            _report.Add(Rules.MissingValue, file.Name, file.Line, $"{column} is empty");
            return -1;
        }
        for (var i = 0; i < known.Length; i++)
            if (ignoreCase ? System.Text.Ascii.EqualsIgnoreCase(value, known[i]) : value.SequenceEqual(known[i])) return i;
        _report.Add(rule, file.Name, file.Line, $"{column} '{file.Text(field)}'");
        return -1;
    }

    private void Tick(RawCsvFile file, CancellationToken cancellation)
    {
        if ((file.Rows & 0xFFFF) != 0) return;
        cancellation.ThrowIfCancellationRequested();
        _progress?.Report(Fraction(file.BytesRead));
    }

    private static byte[][] Utf8Values(IEnumerable<string> values) => values.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>
    /// Event ID numbers seen so far. The generator writes them in increasing order, so the common case
    /// is a comparison with the largest; the bit set answers for numbers that come out of order.
    /// </summary>
    private sealed class EventIdSet
    {
        private readonly BitArray _seen = new(1 << 16);
        private readonly HashSet<long> _huge = []; // numbers too large for the bit set; never seen in practice
        private long _largest = -1;

        public bool Add(long number)
        {
            if (number >= int.MaxValue) return _huge.Add(number);
            var index = (int)number;
            if (index >= _seen.Length) _seen.Length = (int)Math.Min(int.MaxValue, Math.Max(index + 1L, _seen.Length * 2L));
            if (number <= _largest && _seen[index]) return false;
            _seen[index] = true;
            _largest = Math.Max(_largest, number);
            return true;
        }
    }
}
