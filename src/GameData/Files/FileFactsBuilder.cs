using System.Numerics;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace GameData.Files;

/// <summary>
/// SHA-256 and CSV records of bytes fed in order. A record ends at a line break outside double quotes, so a
/// quoted field holding a line break stays one row, as every CSV reader counts it.
/// </summary>
public sealed class FileFactsBuilder
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _inQuotes;
    private long _lineBreaks;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _sha256.AppendData(bytes);
        var blocks = bytes.Length / 64 * 64;
        CountBlocks(bytes[..blocks]);
        CountOneByOne(bytes[blocks..]);
    }

    /// <summary>
    /// 64 bytes at a time: a bit per quote and per line break; the running XOR of the quote bits marks the
    /// bytes inside quotes (the trick CSV and JSON parsers use); line breaks outside them are counted. Counting
    /// one byte at a time took longer than hashing the file.
    /// </summary>
    private void CountBlocks(ReadOnlySpan<byte> bytes)
    {
        var quote = Vector256.Create((byte)'"');
        var lineBreak = Vector256.Create((byte)'\n');
        var inside = _inQuotes ? ulong.MaxValue : 0UL;
        for (var i = 0; i < bytes.Length; i += 64)
        {
            var low = Vector256.Create(bytes.Slice(i, 32));
            var high = Vector256.Create(bytes.Slice(i + 32, 32));
            var quotes = Vector256.Equals(low, quote).ExtractMostSignificantBits()
                | ((ulong)Vector256.Equals(high, quote).ExtractMostSignificantBits() << 32);
            var breaks = Vector256.Equals(low, lineBreak).ExtractMostSignificantBits()
                | ((ulong)Vector256.Equals(high, lineBreak).ExtractMostSignificantBits() << 32);
            var within = PrefixXor(quotes) ^ inside;
            _lineBreaks += BitOperations.PopCount(breaks & ~within);
            inside = (ulong)((long)within >> 63); // the last byte's state carries into the next block
        }
        _inQuotes = inside != 0;
    }

    /// <summary>Bit i becomes the XOR of bits 0..i: 1 between an opening quote and its closing one.</summary>
    private static ulong PrefixXor(ulong bits)
    {
        bits ^= bits << 1;
        bits ^= bits << 2;
        bits ^= bits << 4;
        bits ^= bits << 8;
        bits ^= bits << 16;
        return bits ^ (bits << 32);
    }

    private void CountOneByOne(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b == '"') _inQuotes = !_inQuotes;
            else if (b == '\n' && !_inQuotes) _lineBreaks++;
        }
    }

    /// <summary>The digest and the rows: records minus the header.</summary>
    public FileFacts Complete()
    {
        var facts = new FileFacts(Convert.ToHexStringLower(_sha256.GetHashAndReset()), Math.Max(0, _lineBreaks - 1));
        _sha256.Dispose();
        return facts;
    }
}
