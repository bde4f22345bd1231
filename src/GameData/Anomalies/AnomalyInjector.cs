using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bogus;
using GameData.Generation;
using GameData.Settings;
using GameData.Validation;

namespace GameData.Anomalies;

/// <summary>
/// Generate with <c>--anomalies</c>: the reference dataset is generated into a scratch folder, then copied row by
/// row into the output folder with the declared defects mixed in, and <c>anomalies.json</c> lists each one.
/// Rows that carry no defect are copied byte for byte; each defect has a row of its own. Which rows, and every
/// junk value, come from a Bogus generator seeded from the seed and batch, so the same settings give the same bytes.
/// </summary>
public static class AnomalyInjector
{
    public const string Name = "gamedata-anomalies/1";

    public static GenerationResult Generate(GenerationSettings settings, AnomalySpec spec, string outputDirectory,
        IProgress<GenerationProgress>? progress, CancellationToken cancellation)
    {
        using var files = DatasetGenerator.OpenOutput(outputDirectory);
        var scratch = Directory.CreateTempSubdirectory("gamedata-clean-");
        try
        {
            var clean = DatasetGenerator.Generate(settings with { Anomalies = null }, scratch.FullName, progress, cancellation);
            spec.CheckFits(clean.Manifest.Files);
            var random = new Randomizer(SeedOf(settings));
            var injection = new Injection(settings, clean, new JunkValues(random), Choose(spec, clean.Manifest.Files, random));

            var entries = new Dictionary<string, ManifestFile>();
            foreach (var (file, header) in new[] { (DatasetFiles.Players, PlayerGenerator.Header), (DatasetFiles.Sessions, SessionGenerator.Header), (DatasetFiles.Events, EventGenerator.Header) })
            {
                cancellation.ThrowIfCancellationRequested();
                using var writer = new RawCsvWriter(files.Create(file), header);
                injection.Rewrite(file, Path.Combine(scratch.FullName, file), writer);
                entries[file] = DatasetGenerator.Complete(writer);
            }

            var list = injection.List(spec);
            var listBytes = Encoding.UTF8.GetBytes(list.ToJson());
            using (var stream = files.Create(AnomalyList.FileName)) stream.Write(listBytes);
            var manifest = clean.Manifest with
            {
                Settings = DatasetGenerator.ManifestSettingsOf(settings),
                Files = entries,
                Anomalies = new ManifestAnomalies(AnomalyList.FileName, Convert.ToHexStringLower(SHA256.HashData(listBytes)), list.Defects.Count),
            };
            using (var stream = files.Create(DatasetManifest.FileName))
            using (var writer = new StreamWriter(stream))
                writer.Write(manifest.ToJson());
            files.Commit();
            return new GenerationResult(Path.GetFullPath(outputDirectory), manifest, clean.NextEventNumber);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Bogus takes an int seed: the first four bytes of a SHA-256 of the run's seed and batch.</summary>
    private static int SeedOf(GenerationSettings settings) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{Name}/{settings.Seed.ToString(CultureInfo.InvariantCulture)}/{settings.Batch}")));

    /// <summary>For each file, the data rows (0-based) that carry a defect, each row at most one.</summary>
    private static Dictionary<string, SortedDictionary<long, AnomalyKind>> Choose(AnomalySpec spec, IReadOnlyDictionary<string, ManifestFile> files, Randomizer random)
    {
        var chosen = DatasetFiles.All.ToDictionary(f => f, _ => new SortedDictionary<long, AnomalyKind>());
        foreach (var kind in AnomalyKind.All)
        {
            var rows = chosen[kind.File];
            var total = files[kind.File].Rows;
            for (var i = 0; i < spec.CountOf(kind); i++)
            {
                // A random row, or the next free one after it: always ends, even when nearly every row is taken.
                var row = (long)(random.Double() * total);
                while (rows.ContainsKey(row)) row = (row + 1) % total;
                rows[row] = kind;
            }
        }
        return chosen;
    }

    /// <summary>A file's lines as bytes (without their line break), read through one buffer that grows for a long line.</summary>
    private sealed class LineReader(string path) : IDisposable
    {
        private readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        private byte[] _buffer = new byte[1 << 20];
        private int _start, _end;

        public bool Next(out ReadOnlySpan<byte> line)
        {
            while (true)
            {
                var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line = _buffer.AsSpan(_start, newline);
                    _start += newline + 1;
                    return true;
                }
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    (_end, _start) = (_end - _start, 0);
                }
                if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    // The generator ends every line with a break: what is left is nothing.
                    line = default;
                    return false;
                }
                _end += read;
            }
        }

        public void Dispose() => _stream.Dispose();
    }

    /// <summary>The state of one injection: the junk generator, the IDs handed out, and what has been declared.</summary>
    private sealed class Injection(GenerationSettings settings, GenerationResult clean, JunkValues junk, Dictionary<string, SortedDictionary<long, AnomalyKind>> chosen)
    {
        private readonly List<DeclaredDefect> _defects = [];
        private readonly List<TestAccount> _testAccounts = [];
        private readonly long _players = clean.Manifest.Files[DatasetFiles.Players].Rows;
        private long _nextSession = clean.Manifest.Files[DatasetFiles.Sessions].Rows + 1;
        private long _nextEvent = clean.NextEventNumber;

        /// <summary>A QA account copying a real player's rows; <see cref="Source"/> is the real player's ID.</summary>
        private sealed record TestAccount(string Id, string Source, string[] Player, List<DeclaredRow> Rows, int DefectIndex)
        {
            /// <summary>The source player's ID as a middle field, to find its rows without decoding every line.</summary>
            public byte[] SourceField { get; } = Encoding.UTF8.GetBytes($",{Source},");
        }

        private string Id(string kind, long number) => RawIds.Format(kind, settings.Batch, number);

        /// <summary>A player that is in no players file: beyond the last one generated.</summary>
        private string OrphanPlayer() => Id("player", _players + junk.Between(1, 50));

        public void Rewrite(string file, string cleanPath, RawCsvWriter writer)
        {
            var rows = chosen[file];
            long row = 0;
            var line = 1L; // the header
            // Bytes in, bytes out: a row that carries no defect is copied as it is, never decoded.
            using var reader = new LineReader(cleanPath);
            reader.Next(out _);
            while (reader.Next(out var bytes))
            {
                if (file != DatasetFiles.Players) CollectForTestAccounts(file, bytes);
                if (!rows.TryGetValue(row++, out var kind))
                {
                    writer.Write(bytes);
                    writer.EndLine();
                    line++;
                    continue;
                }
                var text = Encoding.UTF8.GetString(bytes);
                var fields = SplitCsv(text);
                var key = fields[0];
                var (changed, added, value) = Apply(kind, fields);
                if (kind == AnomalyKind.TestAccount)
                {
                    _testAccounts.Add(new TestAccount(junk.TestAccountId(), key, fields, [], _defects.Count));
                    _defects.Add(null!); // declared once its rows are written, at the end of each file
                }
                if (changed is not null)
                {
                    Write(writer, Join(changed));
                    Declare(kind, ++line, changed[0], value);
                }
                else
                {
                    Write(writer, text);
                    line++;
                }
                if (added is not null)
                {
                    Write(writer, Join(added));
                    Declare(kind, ++line, added[0], value);
                }
            }
            line = AppendTestAccounts(file, writer, line);
        }

        /// <summary>The row changed in place, or a row added after it, and the value written.</summary>
        private (string[]? Changed, string[]? Added, string Value) Apply(AnomalyKind kind, string[] f)
        {
            var copy = (string[])f.Clone();
            string Set(int column, string value) => copy[column] = value;
            if (kind == AnomalyKind.DuplicateEvent) return (null, copy, copy[0]);
            if (kind == AnomalyKind.DuplicatePlayer)
            {
                // Registered again a little later, from another country, with other choices.
                var later = Parse(f[1]).AddHours(junk.Between(1, 72));
                if (later < WindowEnd) copy[1] = Format(later);
                copy[2] = junk.OtherCountry(f[2]);
                copy[3] = junk.OtherLanguage(f[3]);
                copy[4] = junk.OtherDifficulty(f[4]);
                return (null, copy, copy[0]);
            }
            if (kind == AnomalyKind.MissingCountry) return (copy, null, Set(2, ""));
            if (kind == AnomalyKind.MissingLanguage) return (copy, null, Set(3, ""));
            if (kind == AnomalyKind.MissingPlatform) return (copy, null, Set(4, ""));
            if (kind == AnomalyKind.MissingProperties) return (copy, null, Set(6, ""));
            if (kind == AnomalyKind.PlatformSpelling) return (copy, null, Set(4, junk.PlatformSpelling(f[4])));
            if (kind == AnomalyKind.UnknownPlatform) return (copy, null, Set(4, junk.UnknownPlatform()));
            if (kind == AnomalyKind.EventNameSpelling) return (copy, null, Set(3, junk.EventNameSpelling(f[3])));
            if (kind == AnomalyKind.UnknownDifficulty) return (copy, null, Set(4, junk.UnknownDifficulty()));
            if (kind == AnomalyKind.CountryName) return (copy, null, Set(2, junk.CountryName(f[3])));
            if (kind == AnomalyKind.LanguageName) return (copy, null, Set(3, junk.LanguageName(f[3])));
            if (kind == AnomalyKind.OrphanSession)
            {
                copy[0] = Id("session", _nextSession++);
                return (null, copy, Set(1, OrphanPlayer()));
            }
            if (kind == AnomalyKind.OrphanEvent)
            {
                copy[0] = Id("event", _nextEvent++);
                return (null, copy, Set(2, OrphanPlayer()));
            }
            if (kind == AnomalyKind.TimestampFormat)
            {
                var time = Parse(f[1]);
                return (copy, null, Set(1, junk.Between(0, 2) switch
                {
                    0 => time.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture),
                    1 => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    _ => new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                }));
            }
            if (kind == AnomalyKind.SessionOrder)
            {
                copy[0] = Id("session", _nextSession++);
                (copy[2], copy[3]) = (f[3], f[2]);
                return (null, copy, copy[3]);
            }
            if (kind == AnomalyKind.FutureEvent) return (copy, null, Set(1, Format(Parse(f[1]).AddYears(20))));
            if (kind == AnomalyKind.LateEvent)
            {
                // Delivered now, but it happened in the window before this one.
                copy[0] = Id("event", _nextEvent++);
                return (null, copy, Set(1, Format(Parse(f[1]).AddSeconds(-settings.Window.Seconds))));
            }
            if (kind == AnomalyKind.TruncatedProperties) return (copy, null, Set(6, f[6][..junk.Between(f[6].Length / 2, f[6].Length - 1)]));
            if (kind == AnomalyKind.MissingPropertyKey)
            {
                var members = Members(f[6]);
                members.RemoveAt(junk.Between(0, members.Count - 1));
                return (copy, null, Set(6, PythonJsonObject(members)));
            }
            if (kind == AnomalyKind.WrongPropertyType)
            {
                // An integer sent as a string: {"chapter_id": "3"}.
                var members = Members(f[6]);
                var key = junk.Pick(EventPropertySchema.For(Encoding.UTF8.GetBytes(f[3]))!.IntegerKeys);
                var index = members.FindIndex(m => m.Key == key);
                members[index] = (members[index].Key, $"\"{members[index].Raw}\"");
                return (copy, null, Set(6, PythonJsonObject(members)));
            }
            if (kind == AnomalyKind.TestAccount) return (null, null, "");
            throw new InvalidOperationException($"no injection for {kind.Name}");
        }

        private void Declare(AnomalyKind kind, long line, string key, string value) =>
            _defects.Add(new DeclaredDefect(kind.Name, kind.Rule.Id, kind.File, line, key, kind.Change.ToString().ToLowerInvariant(), kind.Column, value));

        /// <summary>A test account's sessions and events are copies of its source player's, gathered as they stream past.</summary>
        private readonly Dictionary<string, List<string[]>> _sourceRows = [];

        private void CollectForTestAccounts(string file, ReadOnlySpan<byte> bytes)
        {
            foreach (var account in _testAccounts)
            {
                if (bytes.IndexOf(account.SourceField) < 0) continue; // most rows: no decoding needed
                var fields = SplitCsv(Encoding.UTF8.GetString(bytes));
                if (fields[file == DatasetFiles.Sessions ? 1 : 2] != account.Source) continue;
                if (!_sourceRows.TryGetValue(file + "/" + account.Source, out var list)) _sourceRows[file + "/" + account.Source] = list = [];
                list.Add(fields);
            }
        }

        /// <summary>At the end of each file: the test accounts' players, then their sessions, then their events, with new IDs.</summary>
        private long AppendTestAccounts(string file, RawCsvWriter writer, long line)
        {
            foreach (var account in _testAccounts)
            {
                if (file == DatasetFiles.Players)
                {
                    var player = (string[])account.Player.Clone();
                    player[0] = account.Id;
                    Write(writer, Join(player));
                    _defects[account.DefectIndex] = new DeclaredDefect(AnomalyKind.TestAccount.Name, AnomalyKind.TestAccount.Rule.Id, file, ++line,
                        account.Id, "added", AnomalyKind.TestAccount.Column, account.Id, account.Rows);
                    continue;
                }
                foreach (var source in _sourceRows.GetValueOrDefault(file + "/" + account.Source) ?? [])
                {
                    var row = (string[])source.Clone();
                    row[0] = file == DatasetFiles.Sessions ? Id("session", _nextSession++) : Id("event", _nextEvent++);
                    row[file == DatasetFiles.Sessions ? 1 : 2] = account.Id;
                    Write(writer, Join(row));
                    account.Rows.Add(new DeclaredRow(file, ++line, row[0]));
                }
            }
            return line;
        }

        public AnomalyList List(AnomalySpec spec) => new(
            Name, spec.Text, settings.Seed.ToString(CultureInfo.InvariantCulture), settings.Batch,
            AnomalyKind.All.Where(k => spec.CountOf(k) > 0).ToDictionary(k => k.Name, spec.CountOf),
            _defects.OrderBy(d => Array.IndexOf(DatasetFiles.All, d.File)).ThenBy(d => d.Line).ToList());

        private DateTime WindowEnd => DateTime.MinValue.AddSeconds(settings.Window.RangeEnd);

        private static DateTime Parse(string text) => DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        private static string Format(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        private static void Write(RawCsvWriter writer, string line)
        {
            writer.Write(Encoding.UTF8.GetBytes(line));
            writer.EndLine();
        }

        private static string Join(string[] fields) => string.Join(",", fields.Select(f => Encoding.UTF8.GetString(RawCsvWriter.EncodeField(f))));

        /// <summary>A line of the generator's CSV as fields: quoted fields unquoted, doubled quotes undone (no line breaks inside).</summary>
        private static string[] SplitCsv(string line)
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted)
                {
                    if (c != '"') field.Append(c);
                    else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else if (c == '"') quoted = true;
                else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
                else field.Append(c);
            }
            fields.Add(field.ToString());
            return fields.ToArray();
        }

        /// <summary>An object's members with their values' JSON text as written.</summary>
        private static List<(string Key, string Raw)> Members(string json)
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.EnumerateObject().Select(m => (m.Name, m.Value.GetRawText())).ToList();
        }

        /// <summary>An object as the reference's Python writes one: <c>{"a": 1, "b": "x"}</c>.</summary>
        private static string PythonJsonObject(List<(string Key, string Raw)> members) =>
            "{" + string.Join(", ", members.Select(m => $"{JsonSerializer.Serialize(m.Key)}: {m.Raw}")) + "}";
    }
}
