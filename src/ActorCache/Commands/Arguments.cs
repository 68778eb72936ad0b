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

    public static byte[] FormatInt64(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}
