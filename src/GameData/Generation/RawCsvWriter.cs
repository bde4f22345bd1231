using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace GameData.Generation;

/// <summary>
/// Writes one raw CSV file byte by byte into large buffers (no per-row strings), counting data rows.
/// Full buffers go to a background thread that computes the file's SHA-256 and writes them, so hashing
/// and I/O run beside generation. Quoting follows GENERATOR.md section 7.
/// </summary>
public sealed class RawCsvWriter : IDisposable
{
    private const int BufferSize = 1 << 20;
    private const int BuffersInFlight = 4;

    private readonly Stream _stream;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly BlockingCollection<(byte[] Buffer, int Length)> _full = new(BuffersInFlight);
    private readonly BlockingCollection<byte[]> _empty = new();
    private readonly Thread _sink;
    private Exception? _sinkFailure;
    private bool _completed;

    private byte[] _buffer = new byte[BufferSize];
    private int _length;
    private long _cachedDay = -1;
    private readonly byte[] _cachedDate = new byte[11];

    public RawCsvWriter(Stream stream, string header)
    {
        _stream = stream;
        for (var i = 0; i < BuffersInFlight; i++) _empty.Add(new byte[BufferSize]);
        _sink = new Thread(Drain) { IsBackground = true, Name = "csv-sink" };
        _sink.Start();
        Write(Encoding.UTF8.GetBytes(header));
        Write((byte)'\n');
    }

    /// <summary>Data rows written (the header is not counted).</summary>
    public long Rows { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>The free part of the buffer, holding at least <paramref name="size"/> bytes.</summary>
    private Span<byte> Reserve(int size)
    {
        if (_length + size > _buffer.Length) HandOff();
        return _buffer.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= _buffer.Length - _length)
        {
            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
            return;
        }
        while (bytes.Length > 0)
        {
            var room = _buffer.Length - _length;
            if (room == 0) { HandOff(); continue; }
            var part = Math.Min(room, bytes.Length);
            bytes[..part].CopyTo(_buffer.AsSpan(_length));
            _length += part;
            bytes = bytes[part..];
        }
    }

    public void Write(byte b)
    {
        Reserve(1)[0] = b;
        _length++;
    }

    public void Write(long number)
    {
        Utf8Formatter.TryFormat(number, Reserve(20), out var written);
        _length += written;
    }

    /// <summary>A naive timestamp (seconds since 0001-01-01) as <c>YYYY-MM-DD HH:MM:SS</c>.</summary>
    public void WriteTimestamp(long seconds)
    {
        var day = seconds / 86_400;
        if (day != _cachedDay)
        {
            var date = DateOnly.FromDayNumber((int)day);
            Encoding.ASCII.GetBytes($"{date:yyyy-MM-dd} ", _cachedDate);
            _cachedDay = day;
        }
        var span = Reserve(19);
        _cachedDate.CopyTo(span);
        var secondOfDay = (int)(seconds - day * 86_400);
        TwoDigits(span[11..], secondOfDay / 3600);
        span[13] = (byte)':';
        TwoDigits(span[14..], secondOfDay / 60 % 60);
        span[16] = (byte)':';
        TwoDigits(span[17..], secondOfDay % 60);
        _length += 19;
    }

    private static void TwoDigits(Span<byte> span, int value)
    {
        span[0] = (byte)('0' + value / 10);
        span[1] = (byte)('0' + value % 10);
    }

    public void EndLine()
    {
        Write((byte)'\n');
        Rows++;
    }

    /// <summary>A field as CSV: quoted only if it holds a comma, a quote or a line break; quotes doubled.</summary>
    public static byte[] EncodeField(string text)
    {
        if (text.IndexOfAny([',', '"', '\n', '\r']) < 0) return Encoding.UTF8.GetBytes(text);
        return Encoding.UTF8.GetBytes("\"" + text.Replace("\"", "\"\"") + "\"");
    }

    /// <summary>Passes the current buffer to the sink thread and continues in an empty one.</summary>
    private void HandOff()
    {
        ThrowIfSinkFailed();
        Bytes += _length;
        _full.Add((_buffer, _length));
        _buffer = _empty.Take();
        _length = 0;
    }

    private void Drain()
    {
        try
        {
            foreach (var (buffer, length) in _full.GetConsumingEnumerable())
            {
                if (_sinkFailure is null)
                {
                    _sha256.AppendData(buffer, 0, length);
                    _stream.Write(buffer, 0, length);
                }
                _empty.Add(buffer);
            }
        }
        catch (Exception e)
        {
            _sinkFailure = e;
            // Keep the producer from waiting forever for an empty buffer.
            foreach (var _ in _full.GetConsumingEnumerable()) _empty.Add(new byte[BufferSize]);
        }
    }

    private void ThrowIfSinkFailed()
    {
        if (_sinkFailure is { } failure) throw new IOException($"writing failed: {failure.Message}", failure);
    }

    /// <summary>Writes what is buffered, waits for the sink, and returns the file's SHA-256 as lower-case hex.</summary>
    public string Complete()
    {
        HandOff();
        _full.CompleteAdding();
        _completed = true;
        _sink.Join();
        ThrowIfSinkFailed();
        _stream.Flush();
        return Convert.ToHexStringLower(_sha256.GetHashAndReset());
    }

    public void Dispose()
    {
        if (!_completed)
        {
            _full.CompleteAdding();
            _sink.Join();
        }
        _sha256.Dispose();
        _stream.Dispose();
        _full.Dispose();
        _empty.Dispose();
    }
}
