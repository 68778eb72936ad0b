using System.Globalization;
using System.Text;

namespace ActorCache.IntegrationTests.Crash;

/// <summary>
/// A value that says which key and which write it is: <c>key|sequence|padding|checksum</c>. The padding's length and
/// letter follow from the key and sequence (0 to about 3 KB, so a short value replaces a long one and back), and the
/// checksum (FNV-1a 64 of everything before it) makes a torn value, a value of another key or a mix of two writes
/// detectable.
/// </summary>
internal static class SelfCheckingValue
{
    public static string Encode(string key, long sequence)
    {
        var body = $"{key}|{sequence.ToString(CultureInfo.InvariantCulture)}|{Padding(key, sequence)}";
        return $"{body}|{Fnv1a(body):x16}";
    }

    /// <summary>The sequence of a well-formed value of <paramref name="key"/>, or null with <paramref name="problem"/>.</summary>
    public static long? Decode(string key, string value, out string? problem)
    {
        problem = null;
        var parts = value.Split('|');
        if (parts.Length != 4)
        {
            problem = $"{parts.Length} fields instead of 4";
            return null;
        }

        if (parts[0] != key)
        {
            problem = $"the value of key \"{parts[0]}\"";
            return null;
        }

        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            problem = $"sequence \"{Shorten(parts[1])}\" is not a number";
            return null;
        }

        var body = value[..value.LastIndexOf('|')];
        if (parts[3] != Fnv1a(body).ToString("x16", CultureInfo.InvariantCulture))
        {
            problem = $"checksum {parts[3]} does not match (torn or mixed value, length {value.Length})";
            return null;
        }

        if (parts[2] != Padding(key, sequence))
        {
            problem = "padding of another write";
            return null;
        }

        return sequence;
    }

    private static string Padding(string key, long sequence)
    {
        var length = (int)((sequence * 7919 + key.Length * 131 + key[^1]) % 3000);
        return new string((char)('a' + sequence % 26), length);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return hash;
    }

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "...";
}
