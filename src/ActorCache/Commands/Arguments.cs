using System.Globalization;
using System.Text;

namespace ActorCache.Commands;

/// <summary>Strict parsing of command arguments, matching what Redis accepts.</summary>
internal static class Arguments
{
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> argument, string word)
    {
        if (argument.Length != word.Length) return false;
        for (var i = 0; i < argument.Length; i++)
        {
            if (char.ToUpperInvariant((char)argument[i]) != char.ToUpperInvariant(word[i])) return false;
        }

        return true;
    }

    /// <summary>
    /// Parses a decimal 64-bit integer the way Redis's string2ll does: an optional '-', digits, no leading zeros,
    /// no spaces, no '+', no overflow.
    /// </summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 20) return false;
        var negative = text[0] == '-';
        var digits = negative ? text[1..] : text;
        if (digits.Length == 0 || (digits[0] == '0' && digits.Length > 1) || (negative && digits[0] == '0')) return false;
        ulong magnitude = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            var next = magnitude * 10 + (ulong)(b - '0');
            if (next / 10 != magnitude) return false;
            magnitude = next;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1) return false;
            value = (long)(0 - magnitude);
        }
        else
        {
            if (magnitude > long.MaxValue) return false;
            value = (long)magnitude;
        }

        return true;
    }

    /// <summary>Parses a finite or infinite float, no surrounding spaces, never NaN.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.Length == 0 || text[0] == ' ' || text[^1] == ' ') return false;
        var s = Encoding.ASCII.GetString(text);
        if (Arguments.EqualsIgnoreCase(text, "inf") || Arguments.EqualsIgnoreCase(text, "+inf")) { value = double.PositiveInfinity; return true; }
        if (Arguments.EqualsIgnoreCase(text, "-inf")) { value = double.NegativeInfinity; return true; }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value) && double.IsFinite(value);
    }

    /// <summary>Formats a double as Redis does for INCRBYFLOAT: shortest exact form, never an exponent.</summary>
    public static byte[] FormatDouble(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E'))
        {
            text = value.ToString("F17", CultureInfo.InvariantCulture);
            if (text.Contains('.')) text = text.TrimEnd('0').TrimEnd('.');
        }

        return Encoding.ASCII.GetBytes(text);
    }

    public static byte[] FormatInt64(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}
