using System.Globalization;
using System.Numerics;

namespace GameData.Generation;

/// <summary>Python's float behaviour where the reference output depends on it: <c>round(x, 1)</c> and <c>repr(x)</c>.</summary>
public static class PythonFloat
{
    /// <summary>
    /// <c>round(x, 1)</c>: rounds the exact binary value of x to one decimal, ties to even, then takes the
    /// nearest double. Scaling by 10 in floating point would round twice, so the scaling is done exactly.
    /// </summary>
    public static double Round1(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x) || x == 0) return x;
        var bits = BitConverter.DoubleToInt64Bits(x);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;
        var shift = 1075 - exponent; // |x| = mantissa / 2^shift
        if (shift <= 0) return x;    // already an integer

        // q = round_half_even(mantissa * 10 / 2^shift), with exact integer arithmetic.
        var scaled = new BigInteger(mantissa) * 10;
        var quotient = scaled >> shift;
        var remainder = scaled - (quotient << shift);
        var half = BigInteger.One << (shift - 1);
        var comparison = remainder.CompareTo(half);
        if (comparison > 0 || (comparison == 0 && !quotient.IsEven)) quotient += 1;

        // quotient / 10 correctly rounded; both are exact doubles while quotient < 2^53.
        var result = quotient < (BigInteger.One << 53)
            ? (double)quotient / 10.0
            : double.Parse(quotient.ToString(CultureInfo.InvariantCulture) + "e-1", CultureInfo.InvariantCulture);
        return negative ? -result : result;
    }

    /// <summary>
    /// <c>repr(x)</c> (which <c>json.dumps</c> uses): the shortest round-trip digits, positional for
    /// decimal exponents -4..15 with at least one digit after the point, scientific otherwise (<c>1e+16</c>).
    /// </summary>
    public static string Repr(double x)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsPositiveInfinity(x)) return "Infinity";
        if (double.IsNegativeInfinity(x)) return "-Infinity";
        if (x == 0) return double.IsNegative(x) ? "-0.0" : "0.0";

        // "R" gives the shortest round-trip digits; they are laid out again the way Python does.
        var roundTrip = x.ToString("R", CultureInfo.InvariantCulture);
        var sign = roundTrip.StartsWith('-') ? "-" : "";
        var body = sign.Length > 0 ? roundTrip[1..] : roundTrip;
        var (digits, pointPosition) = SplitDigits(body);

        var decimalExponent = pointPosition - 1;
        if (decimalExponent is < -4 or >= 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            var exponentText = (decimalExponent < 0 ? "-" : "+") + Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture);
            return sign + mantissa + "e" + exponentText;
        }
        if (pointPosition <= 0) return sign + "0." + new string('0', -pointPosition) + digits;
        if (pointPosition >= digits.Length) return sign + digits + new string('0', pointPosition - digits.Length) + ".0";
        return sign + digits[..pointPosition] + "." + digits[pointPosition..];
    }

    /// <summary>Splits .NET's round-trip text into significant digits and the position of the decimal point.</summary>
    private static (string Digits, int PointPosition) SplitDigits(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var point = text.IndexOf('.');
        var integerPart = point >= 0 ? text[..point] : text;
        var fraction = point >= 0 ? text[(point + 1)..] : "";
        var digits = integerPart + fraction;
        var pointPosition = integerPart.Length + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        pointPosition -= leadingZeros;
        digits = digits.TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, pointPosition);
    }
}
