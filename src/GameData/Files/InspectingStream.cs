using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace GameData.Files;

/// <summary>
/// A read-only stream over a file that looks at the raw bytes CsvHelper does not report on: the byte
/// count, a UTF-8 BOM, CRLF line ends, whether the file ends with a line break, and the SHA-256.
/// It reads the file in large blocks; a block is hashed on a background thread once it has been
/// handed out in full, so hashing runs beside parsing.
/// </summary>
public sealed class InspectingStream : Stream
{
    private const int BlockSize = 1 << 20;
    private const int Blocks = 4;
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly Stream _file;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly BlockingCollection<(byte[] Block, int Length)> _toHash = new(Blocks);
    private readonly BlockingCollection<byte[]> _free = new();
    private readonly Thread _hasher;
    private byte[]? _block;
    private int _blockLength, _blockPosition;
    private long _linesBeforeBlock;
    private byte _previous;

    public InspectingStream(Stream file)
    {
        _file = file;
        for (var i = 0; i < Blocks; i++) _free.Add(new byte[BlockSize]);
        _hasher = new Thread(() =>
        {
            foreach (var (block, length) in _toHash.GetConsumingEnumerable())
            {
                _sha256.AppendData(block, 0, length);
                _free.Add(block);
            }
        }) { IsBackground = true, Name = "sha256" };
        _hasher.Start();
    }

    public long BytesRead { get; private set; }
    public bool StartsWithBom { get; private set; }
    public long CrlfCount { get; private set; }
    /// <summary>1-based line of the first CRLF, or 0.</summary>
    public long FirstCrlfLine { get; private set; }
    public bool EndsWithLineBreak => BytesRead > 0 && _previous == (byte)'\n';

    /// <summary>The SHA-256 of every byte read; call once, after the last read.</summary>
    public string Sha256()
    {
        if (_block is not null) _toHash.Add((_block, _blockLength));
        _block = null;
        _toHash.CompleteAdding();
        _hasher.Join();
        return Convert.ToHexStringLower(_sha256.GetHashAndReset());
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        if (_block is null || _blockPosition == _blockLength)
        {
            if (_block is not null) _toHash.Add((_block, _blockLength));
            _block = _free.Take();
            _blockLength = _file.ReadAtLeast(_block, _block.Length, throwOnEndOfStream: false);
            _blockPosition = 0;
            if (_blockLength == 0) return 0;
            Inspect(_block.AsSpan(0, _blockLength));
        }
        var count = Math.Min(buffer.Length, _blockLength - _blockPosition);
        _block.AsSpan(_blockPosition, count).CopyTo(buffer);
        _blockPosition += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    private void Inspect(ReadOnlySpan<byte> chunk)
    {
        if (BytesRead == 0 && chunk.StartsWith(Utf8Bom)) StartsWithBom = true;

        // A CRLF may straddle two blocks.
        var straddles = _previous == '\r' && chunk[0] == '\n';
        var crlf = (straddles ? 1 : 0) + chunk.Count("\r\n"u8);
        if (crlf > 0 && FirstCrlfLine == 0)
        {
            var first = straddles ? 0 : chunk.IndexOf("\r\n"u8) + 1;
            FirstCrlfLine = _linesBeforeBlock + chunk[..first].Count((byte)'\n') + 1;
        }
        CrlfCount += crlf;
        if (FirstCrlfLine == 0) _linesBeforeBlock += chunk.Count((byte)'\n');

        BytesRead += chunk.Length;
        _previous = chunk[^1];
    }

    private bool _disposed;

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (!_toHash.IsAddingCompleted) _toHash.CompleteAdding();
            _hasher.Join();
            _sha256.Dispose();
            _file.Dispose();
            _toHash.Dispose();
            _free.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
