namespace ActorCache.Resp.Protocol;

// Redis's string2ll, so that exactly the lengths Redis accepts are accepted: an optional '-', no '+', no leading zero
// (but "0" itself), nothing else, at most 20 characters, within a long.
internal static class RedisNumber
{
    public const int MaxLength = 20;

    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > MaxLength) return false;
        if (text.Length == 1 && text[0] == (byte)'0') return true;

        var negative = text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.IsEmpty || digits[0] < (byte)'1' || digits[0] > (byte)'9') return false;

        ulong magnitude = 0;
        foreach (var digit in digits)
        {
            var d = (uint)(digit - '0');
            if (d > 9) return false;
            if (magnitude > (ulong.MaxValue - d) / 10) return false;
            magnitude = magnitude * 10 + d;
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
}
