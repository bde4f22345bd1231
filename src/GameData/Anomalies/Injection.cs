using System.Globalization;
using System.Text;
using System.Text.Json;
using GameData.Generation;

namespace GameData.Anomalies;

/// <summary>The state of one injection: the junk generator, the IDs handed out, and what has been declared.</summary>
internal sealed class Injection(GenerationSettings settings, GenerationResult clean, JunkValues junk,
    Dictionary<string, SortedDictionary<long, AnomalyKind>> chosen)
{
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

    public JunkValues Junk => junk;

    /// <summary>The end of the event window, and its length in seconds.</summary>
    public DateTime WindowEnd => DateTime.MinValue.AddSeconds(settings.Window.RangeEnd);
    public long WindowSeconds => settings.Window.Seconds;

    /// <summary>IDs after the last ones generated, for added rows.</summary>
    public string NewSessionId() => Id("session", _nextSession++);
    public string NewEventId() => Id("event", _nextEvent++);

    /// <summary>A player that is in no players file: beyond the last one generated.</summary>
    public string OrphanPlayer() => Id("player", _players + junk.Between(1, 50));

    /// <summary>A QA account copying the row's player, written with its sessions and events at the end of each file.</summary>
    public Injected AddTestAccount(string[] player)
    {
        _testAccounts.Add(new TestAccount(junk.TestAccountId(), player[0], player, [], _defects.Count));
        _defects.Add(null!); // declared once its rows are written, at the end of each file
        return new Injected(null, null, "");
    }

    private string Id(string kind, long number) => RawIds.Format(kind, settings.Batch, number);

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
            var (changed, added, value) = kind.Inject(this, fields);
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

    private void Declare(AnomalyKind kind, long line, string key, string value) =>
        _defects.Add(new DeclaredDefect(kind.Name, kind.Rule.Id, kind.File, line, key, kind.Change.ToString().ToLowerInvariant(),
            kind.Column, value));

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
                _defects[account.DefectIndex] = new DeclaredDefect(AnomalyKind.TestAccount.Name, AnomalyKind.TestAccount.Rule.Id, file,
                    ++line, account.Id, "added", AnomalyKind.TestAccount.Column, account.Id, account.Rows);
                continue;
            }
            foreach (var source in _sourceRows.GetValueOrDefault(file + "/" + account.Source) ?? [])
            {
                var row = (string[])source.Clone();
                row[0] = file == DatasetFiles.Sessions ? NewSessionId() : NewEventId();
                row[file == DatasetFiles.Sessions ? 1 : 2] = account.Id;
                Write(writer, Join(row));
                account.Rows.Add(new DeclaredRow(file, ++line, row[0]));
            }
        }
        return line;
    }

    public AnomalyList List(AnomalySpec spec) => new(
        AnomalyInjector.Name, spec.Text, settings.Seed.ToString(CultureInfo.InvariantCulture), settings.Batch,
        AnomalyKind.All.Where(k => spec.CountOf(k) > 0).ToDictionary(k => k.Name, spec.CountOf),
        _defects.OrderBy(d => Array.IndexOf(DatasetFiles.All, d.File)).ThenBy(d => d.Line).ToList());

    public static DateTime Parse(string text) => DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Format(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static void Write(RawCsvWriter writer, string line)
    {
        writer.Write(Encoding.UTF8.GetBytes(line));
        writer.EndLine();
    }

    private static string Join(string[] fields) =>
        string.Join(",", fields.Select(f => Encoding.UTF8.GetString(RawCsvWriter.EncodeField(f))));

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
    public static List<(string Key, string Raw)> Members(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Select(m => (m.Name, m.Value.GetRawText())).ToList();
    }

    /// <summary>An object as the reference's Python writes one: <c>{"a": 1, "b": "x"}</c>.</summary>
    public static string PythonJsonObject(List<(string Key, string Raw)> members) =>
        "{" + string.Join(", ", members.Select(m => $"{JsonSerializer.Serialize(m.Key)}: {m.Raw}")) + "}";
}

/// <summary>What a defect did to its row: the row changed in place, or a row added after it; and the value written.</summary>
internal readonly record struct Injected(string[]? Changed, string[]? Added, string Value)
{
    public static Injected InPlace(string[] row, int column, string value)
    {
        var copy = (string[])row.Clone();
        copy[column] = value;
        return new Injected(copy, null, value);
    }

    /// <summary>A row added after the chosen one; <paramref name="column"/> holds the value it is declared with.</summary>
    public static Injected After(string[] added, int column) => new(null, added, added[column]);
}
