namespace ActorCache.Commands;

/// <summary>
/// Redis's glob matching (stringmatchlen) for KEYS and SCAN MATCH, over bytes: <c>*</c>, <c>?</c>, <c>[abc]</c>,
/// <c>[^a]</c>, <c>[a-z]</c> and <c>\</c> to escape, with Redis's corner cases: the empty key matches only the empty
/// pattern, <c>[a-]</c> is the range from 'a' to ']', an unclosed class ends at the end of the pattern, and range
/// bounds compare as signed chars (as on x86-64). Backtracks only to the last star, so no pattern takes exponential time.
/// </summary>
internal static class GlobPattern
{
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        // Redis's loop never runs for an empty string: only the empty pattern matches it, not even "*".
        if (text.Length == 0) return pattern.Length == 0;
        int p = 0, t = 0, starP = -1, starT = -1;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                while (p < pattern.Length && pattern[p] == '*') p++;
                if (p == pattern.Length) return true;
                starP = p;
                starT = t;
                continue;
            }

            if (p < pattern.Length && MatchOne(pattern, ref p, text[t]))
            {
                t++;
                continue;
            }

            if (starP < 0) return false;
            p = starP;
            t = ++starT;
        }

        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    // Matches one pattern element at p against c; on success advances p past the element.
    private static bool MatchOne(ReadOnlySpan<byte> pattern, ref int p, byte c)
    {
        switch (pattern[p])
        {
            case (byte)'?':
                p++;
                return true;
            case (byte)'\\' when p + 1 < pattern.Length:
                if (pattern[p + 1] != c) return false;
                p += 2;
                return true;
            case (byte)'[':
                return MatchClass(pattern, ref p, c);
            default:
                if (pattern[p] != c) return false;
                p++;
                return true;
        }
    }

    // A port of the '[' case of stringmatchlen.
    private static bool MatchClass(ReadOnlySpan<byte> pattern, ref int p, byte c)
    {
        var i = p + 1;
        var negate = i < pattern.Length && pattern[i] == '^';
        if (negate) i++;
        var matched = false;
        while (true)
        {
            var remaining = pattern.Length - i;
            if (remaining >= 2 && pattern[i] == '\\')
            {
                i++;
                matched |= pattern[i] == c;
            }
            else if (remaining > 0 && pattern[i] == ']')
            {
                break;
            }
            else if (remaining == 0)
            {
                // Unclosed: the class ends with the pattern.
                i--;
                break;
            }
            else if (remaining >= 3 && pattern[i + 1] == '-')
            {
                // Redis reads the bounds as (signed) chars, and the end may be any byte, ']' included.
                int low = (sbyte)pattern[i], high = (sbyte)pattern[i + 2], value = (sbyte)c;
                if (low > high) (low, high) = (high, low);
                matched |= value >= low && value <= high;
                i += 2;
            }
            else
            {
                matched |= pattern[i] == c;
            }

            i++;
        }

        p = i + 1;
        return matched != negate;
    }
}
