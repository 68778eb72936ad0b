using System.Numerics;
using System.Text;

namespace ActorCache.Commands;

/// <summary>
/// The x87 80-bit <c>long double</c> that Redis (on x86-64) uses for INCRBYFLOAT, in software: a 64-bit mantissa,
/// round to nearest even, exponents down to subnormals. Parsing follows glibc's <c>strtold</c> as Redis's
/// <c>string2ld</c> calls it, formatting follows <c>"%.17Lf"</c> with trailing zeros removed, so a client sees the
/// very strings Redis would give it (0.1 + 0.2 is "0.3", 5.6 + 5000 is "5005.60000000000000009").
/// </summary>
internal readonly struct LongDouble
{
    // Value = ±Mantissa × 2^Exponent. A normal value has 2^63 <= Mantissa < 2^64; a subnormal has Exponent ==
    // MinExponent and a smaller mantissa; zero has Mantissa 0.
    private const int MantissaBits = 64;
    private const int MinExponent = -16445;
    private const int MaxExponent = 16320;

    // Redis's MAX_LONG_DOUBLE_CHARS: longer arguments are not floats.
    private const int MaxChars = 5 * 1024;

    private static readonly BigInteger MantissaLimit = BigInteger.One << MantissaBits;
    private static readonly BigInteger LowestNormal = BigInteger.One << (MantissaBits - 1);
    private static readonly BigInteger FractionScale = BigInteger.Pow(10, 17);

    private LongDouble(bool negative, BigInteger mantissa, int exponent, bool infinite)
    {
        Negative = negative;
        Mantissa = mantissa;
        Exponent = exponent;
        IsInfinity = infinite;
    }

    public bool Negative { get; }

    public BigInteger Mantissa { get; }

    public int Exponent { get; }

    public bool IsInfinity { get; }

    public bool IsZero => !IsInfinity && Mantissa.IsZero;

    /// <summary>
    /// Parses <paramref name="text"/> as Redis's string2ld does: the whole argument must be a strtold number (decimal
    /// or hexadecimal, optional sign and exponent, "inf" / "infinity"); NaN, leading spaces, overflow and underflow
    /// to zero are rejected.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out LongDouble value)
    {
        value = default;
        if (text.Length is 0 or >= MaxChars) return false;
        var i = 0;
        var negative = false;
        if (text[0] is (byte)'+' or (byte)'-')
        {
            negative = text[0] == '-';
            i++;
        }

        var rest = text[i..];
        if (Arguments.EqualsIgnoreCase(rest, "inf") || Arguments.EqualsIgnoreCase(rest, "infinity"))
        {
            value = new LongDouble(negative, BigInteger.Zero, 0, infinite: true);
            return true;
        }

        if (rest.Length >= 2 && rest[0] == '0' && (rest[1] | 0x20) == 'x') return TryParseHex(rest[2..], negative, out value);
        return TryParseDecimal(rest, negative, out value);
    }

    public static LongDouble operator +(LongDouble a, LongDouble b)
    {
        if (a.IsInfinity || b.IsInfinity)
        {
            // inf + -inf is NaN, which the caller rejects like infinity; report it as infinity.
            return a.IsInfinity ? a : b;
        }

        if (a.IsZero) return b.IsZero ? new LongDouble(a.Negative && b.Negative, BigInteger.Zero, 0, false) : b;
        if (b.IsZero) return a;
        var exponent = Math.Min(a.Exponent, b.Exponent);
        var sum = Signed(a, exponent) + Signed(b, exponent);
        if (sum.IsZero) return default;
        return Round(BigInteger.Abs(sum), BigInteger.One, exponent, sum.Sign < 0);
    }

    /// <summary>Redis's human-friendly long double text: <c>"%.17Lf"</c>, trailing zeros and dot removed, "-0" as "0".</summary>
    public string ToHumanString()
    {
        if (IsInfinity) return Negative ? "-inf" : "inf";
        BigInteger scaled;
        if (Exponent >= 0)
        {
            scaled = (Mantissa << Exponent) * FractionScale;
        }
        else
        {
            var numerator = Mantissa * FractionScale;
            var denominator = BigInteger.One << -Exponent;
            scaled = BigInteger.DivRem(numerator, denominator, out var remainder);
            var twice = remainder << 1;
            if (twice > denominator || (twice == denominator && !scaled.IsEven)) scaled += 1;
        }

        var digits = scaled.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(18, '0');
        var text = new StringBuilder();
        if (Negative) text.Append('-');
        text.Append(digits, 0, digits.Length - 17).Append('.').Append(digits, digits.Length - 17, 17);
        var result = text.ToString().TrimEnd('0').TrimEnd('.');
        return result == "-0" ? "0" : result;
    }

    private static BigInteger Signed(LongDouble value, int exponent)
    {
        var magnitude = value.Mantissa << (value.Exponent - exponent);
        return value.Negative ? -magnitude : magnitude;
    }

    private static bool TryParseDecimal(ReadOnlySpan<byte> text, bool negative, out LongDouble value)
    {
        value = default;
        var digits = new StringBuilder();
        var i = 0;
        var sawDigit = false;
        long decimalExponent = 0;
        for (; i < text.Length && IsDigit(text[i]); i++)
        {
            digits.Append((char)text[i]);
            sawDigit = true;
        }

        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && IsDigit(text[i]); i++)
            {
                digits.Append((char)text[i]);
                decimalExponent--;
                sawDigit = true;
            }
        }

        if (!sawDigit) return false;
        if (i < text.Length && (text[i] | 0x20) == 'e')
        {
            if (!TryParseExponent(text[(i + 1)..], out var exponent)) return false;
            decimalExponent += exponent;
            i = text.Length;
        }

        if (i != text.Length) return false;
        var mantissa = BigInteger.Parse(digits.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        if (mantissa.IsZero)
        {
            value = new LongDouble(negative, BigInteger.Zero, 0, false);
            return true;
        }

        // Far outside the range (about 3.6e-4951 .. 1.2e4932): overflow or underflow, both rejected as strtold's ERANGE.
        var magnitude = decimalExponent + digits.ToString().TrimStart('0').Length;
        if (magnitude > 4940 || magnitude < -4960) return false;
        var result = decimalExponent >= 0
            ? Round(mantissa * BigInteger.Pow(10, (int)decimalExponent), BigInteger.One, 0, negative)
            : Round(mantissa, BigInteger.Pow(10, (int)-decimalExponent), 0, negative);
        if (result.IsInfinity || result.IsZero) return false;
        value = result;
        return true;
    }

    private static bool TryParseHex(ReadOnlySpan<byte> text, bool negative, out LongDouble value)
    {
        value = default;
        var mantissa = BigInteger.Zero;
        var i = 0;
        var sawDigit = false;
        long binaryExponent = 0;
        for (; i < text.Length && HexValue(text[i]) >= 0; i++)
        {
            mantissa = (mantissa << 4) + HexValue(text[i]);
            sawDigit = true;
        }

        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && HexValue(text[i]) >= 0; i++)
            {
                mantissa = (mantissa << 4) + HexValue(text[i]);
                binaryExponent -= 4;
                sawDigit = true;
            }
        }

        // "0x" without hex digits is the number 0 followed by junk: not a float.
        if (!sawDigit) return false;
        if (i < text.Length && (text[i] | 0x20) == 'p')
        {
            if (!TryParseExponent(text[(i + 1)..], out var exponent)) return false;
            binaryExponent += exponent;
            i = text.Length;
        }

        if (i != text.Length) return false;
        if (mantissa.IsZero)
        {
            value = new LongDouble(negative, BigInteger.Zero, 0, false);
            return true;
        }

        var magnitude = binaryExponent + (long)mantissa.GetBitLength();
        if (magnitude > 16400 || magnitude < -16500) return false;
        var result = Round(mantissa, BigInteger.One, (int)binaryExponent, negative);
        if (result.IsInfinity || result.IsZero) return false;
        value = result;
        return true;
    }

    // An exponent: optional sign, at least one digit; saturates far beyond any representable range.
    private static bool TryParseExponent(ReadOnlySpan<byte> text, out long exponent)
    {
        exponent = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] is (byte)'+' or (byte)'-')
        {
            negative = text[i] == '-';
            i++;
        }

        if (i == text.Length) return false;
        for (; i < text.Length; i++)
        {
            if (!IsDigit(text[i])) return false;
            exponent = Math.Min(exponent * 10 + (text[i] - '0'), 1_000_000_000);
        }

        if (negative) exponent = -exponent;
        return true;
    }

    /// <summary>The long double nearest to numerator / denominator × 2^exponent (ties to even).</summary>
    private static LongDouble Round(BigInteger numerator, BigInteger denominator, int exponent, bool negative)
    {
        // Pick e so that the quotient numerator / denominator × 2^(exponent - e) lies in [2^63, 2^64).
        var e = exponent + (int)(numerator.GetBitLength() - denominator.GetBitLength()) - MantissaBits;
        while (true)
        {
            var quotient = Quotient(numerator, denominator, exponent - e, out _, out _);
            if (quotient >= MantissaLimit) e++;
            else if (quotient < LowestNormal) e--;
            else break;
        }

        if (e < MinExponent) e = MinExponent;
        var q = Quotient(numerator, denominator, exponent - e, out var remainder, out var divisor);
        var twice = remainder << 1;
        if (twice > divisor || (twice == divisor && !q.IsEven)) q += 1;
        if (q == MantissaLimit)
        {
            q >>= 1;
            e++;
        }

        if (q.IsZero) return new LongDouble(negative, BigInteger.Zero, 0, false);
        return e > MaxExponent ? new LongDouble(negative, BigInteger.Zero, 0, infinite: true) : new LongDouble(negative, q, e, false);
    }

    // floor(numerator / denominator × 2^shift), with the remainder and the divisor it is relative to.
    private static BigInteger Quotient(BigInteger numerator, BigInteger denominator, int shift, out BigInteger remainder, out BigInteger divisor)
    {
        if (shift >= 0)
        {
            numerator <<= shift;
        }
        else
        {
            denominator <<= -shift;
        }

        divisor = denominator;
        return BigInteger.DivRem(numerator, denominator, out remainder);
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
