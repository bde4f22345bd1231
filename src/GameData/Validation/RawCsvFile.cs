using System.Text;
using System.Text.Unicode;
using CsvHelper;
using GameData.Files;

namespace GameData.Validation;

/// <summary>
/// One raw CSV file read with CsvHelper, streaming. It reports the structural rules itself (header,
/// field count, quoting, encoding, NUL bytes, truncation, CRLF, BOM) and hands out only rows that pass
/// them, so the per-file checks can trust every row they see.
/// </summary>
public sealed class RawCsvFile : IDisposable
{
    private readonly InspectingStream _bytes;
    private readonly CsvReader _csv;
    private readonly ValidationReport _report;
    private readonly int _fieldCount;
    private string? _malformed;
    private bool _headerFailed;

    public string Name { get; }
    public string Path { get; }

    /// <summary>Data rows read, well-formed or not (the header is not counted).</summary>
    public long Rows { get; private set; }

    /// <summary>The 1-based line the current row starts on.</summary>
    public long Line => _csv.LineNumber;

    public long BytesRead => _bytes.BytesRead;

    private RawCsvFile(string path, string[] header, ValidationReport report)
    {
        Path = path;
        Name = System.IO.Path.GetFileName(path);
        _report = report;
        _fieldCount = header.Length;
        _bytes = new InspectingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.SequentialScan));
        _csv = CsvReader.Create(_bytes, new CsvReaderOptions
        {
            HasHeader = false,
            SkipEmptyLines = false,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = record => _malformed = Describe(record.Reason),
        }, leaveOpen: true);
        ExpectedHeader = header;
    }

    public string[] ExpectedHeader { get; }

    /// <summary>Opens the file, or reports it missing and returns null.</summary>
    public static RawCsvFile? Open(string folder, string fileName, string header, ValidationReport report)
    {
        var path = System.IO.Path.Combine(folder, fileName);
        if (!File.Exists(path))
        {
            report.Add(Rules.FileMissing, fileName, 0, $"{fileName} is not in {folder}");
            return null;
        }
        var file = new RawCsvFile(path, header.Split(','), report);
        file.CheckHeader();
        return file;
    }

    private void CheckHeader()
    {
        if (!_csv.Read())
        {
            _report.Add(Rules.FileEmpty, Name, 0, "the file has no header and no rows");
            _headerFailed = true;
            return;
        }
        var actual = Enumerable.Range(0, _csv.FieldCount).Select(i => Encoding.UTF8.GetString(_csv.GetSpan(i))).ToArray();
        if (!actual.SequenceEqual(ExpectedHeader))
        {
            _report.Add(Rules.Header, Name, 1, $"expected '{string.Join(',', ExpectedHeader)}', found '{string.Join(',', actual)}'");
            _headerFailed = true; // columns cannot be trusted: rows are not checked
        }
        _malformed = null;
    }

    /// <summary>
    /// Called for each row skipped for a structural problem, while it is current: its first field (the
    /// key) may still be usable, which spares the other files a cascade of orphan reports.
    /// </summary>
    public Action? OnSkippedRow { get; set; }

    /// <summary>Moves to the next well-formed row; rows that break a structural rule are reported and skipped.</summary>
    public bool NextRow()
    {
        if (_headerFailed) return false;
        while (_csv.Read())
        {
            Rows++;
            if (StructuralProblem() is not { } problem) return true;
            _report.Add(problem.Rule, Name, Line, problem.Detail);
            OnSkippedRow?.Invoke();
        }
        return false;
    }

    private (Rule Rule, string Detail)? StructuralProblem()
    {
        var raw = _csv.RawRecord;
        if (_malformed is { } reason)
        {
            _malformed = null;
            return (Rules.Quoting, reason);
        }
        if (raw.IndexOf((byte)0) is var nul and >= 0) return (Rules.NulByte, $"NUL byte at column {nul + 1}");
        if (!Utf8.IsValid(raw)) return (Rules.InvalidUtf8, "bytes that are not valid UTF-8");
        if (_csv.FieldCount != _fieldCount) return (Rules.FieldCount, $"{_csv.FieldCount} fields, expected {_fieldCount}");
        return null;
    }

    public ReadOnlySpan<byte> Field(int index) => _csv.GetSpan(index);

    public string Text(int index) => Encoding.UTF8.GetString(_csv.GetSpan(index));

    /// <summary>Reads what is left, reports the whole-file rules, and returns the file's facts.</summary>
    public (long Rows, string Sha256) Finish()
    {
        while (NextRow()) { }
        var buffer = new byte[1 << 16];
        while (_bytes.Read(buffer) > 0) { } // the rest of a file whose header failed, for its SHA-256

        if (_bytes.BytesRead > 0 && !_bytes.EndsWithLineBreak)
            _report.Add(Rules.Truncated, Name, Math.Max(Line, 1), "the last line has no line break");
        if (!_headerFailed && _bytes.BytesRead > 0 && Rows == 0)
            _report.Add(Rules.HeaderOnly, Name, 1, "no data rows");
        if (_bytes.CrlfCount > 0)
            _report.Add(Rules.CrlfLineEnds, Name, _bytes.FirstCrlfLine, $"{_bytes.CrlfCount:N0} lines end with CRLF");
        if (_bytes.StartsWithBom)
            _report.Add(Rules.ByteOrderMark, Name, 1, "starts with EF BB BF");
        return (Rows, _bytes.Sha256());
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed",
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.LineBreakInQuotes => "a line break inside quotes",
        _ => $"malformed ({reason})",
    };

    public void Dispose()
    {
        _csv.Dispose();
        _bytes.Dispose();
    }
}
