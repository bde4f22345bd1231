using System.Text;

namespace GameData.Validation;

/// <summary>Strict parsers for the raw files' ID and timestamp fields, on UTF-8 bytes.</summary>
public static class FieldParsers
{
    /// <summary>
    /// The number in an ID of the batch's pattern: <c>player_7</c> for batch 1, <c>player_2_7</c> for batch 2.
    /// No sign, no leading zeros. Returns -1 when the ID does not match.
    /// </summary>
    public static long IdNumber(ReadOnlySpan<byte> id, byte[] prefix)
    {
        if (!id.StartsWith(prefix)) return -1;
        var digits = id[prefix.Length..];
        if (digits.Length is 0 or > 18 || (digits[0] == '0' && digits.Length > 1)) return -1;
        long number = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') return -1;
            number = number * 10 + (b - '0');
        }
        return number;
    }

    /// <summary>A QA or bot account's player ID: <c>qa_…</c>, <c>test_…</c>, <c>bot_…</c> (any letter case).</summary>
    public static bool IsTestAccount(ReadOnlySpan<byte> id) =>
        StartsWithIgnoreCase(id, "qa_"u8) || StartsWithIgnoreCase(id, "test_"u8) || StartsWithIgnoreCase(id, "bot_"u8);

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix) =>
        text.Length > prefix.Length && Ascii.EqualsIgnoreCase(text[..prefix.Length], prefix);

    public static byte[] IdPrefix(string kind, int batch) =>
        Encoding.ASCII.GetBytes(batch == 1 ? $"{kind}_" : $"{kind}_{batch}_");

    /// <summary>The batch an ID belongs to (<c>player_7</c> → 1, <c>player_3_7</c> → 3), or null if it is neither form.</summary>
    public static int? BatchOf(string id, string kind)
    {
        var parts = id.Split('_');
        if (parts.Length == 2 && parts[0] == kind && long.TryParse(parts[1], out _)) return 1;
        if (parts.Length == 3 && parts[0] == kind && int.TryParse(parts[1], out var batch) && batch >= 2 && long.TryParse(parts[2], out _))
            return batch;
        return null;
    }

    /// <summary>
    /// <c>YYYY-MM-DD HH:MM:SS</c> as whole seconds since 0001-01-01 (the generator's scale), or -1 when it is
    /// not exactly that form or not a real date and time (e.g. month 13).
    /// </summary>
    public static long Timestamp(ReadOnlySpan<byte> text)
    {
        if (text.Length != 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':')
            return -1;
        int year = Digits(text[..4]), month = Digits(text[5..7]), day = Digits(text[8..10]);
        int hour = Digits(text[11..13]), minute = Digits(text[14..16]), second = Digits(text[17..19]);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
            return -1;
        return new DateOnly(year, month, day).DayNumber * 86_400L + hour * 3600 + minute * 60 + second;
    }

    private static int Digits(ReadOnlySpan<byte> text)
    {
        var value = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9') return -1;
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
