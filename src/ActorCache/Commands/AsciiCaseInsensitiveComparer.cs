namespace ActorCache.Commands;

/// <summary>Compares command names (ASCII) ignoring case, as Redis looks commands up.</summary>
internal sealed class AsciiCaseInsensitiveComparer : IEqualityComparer<byte[]>
{
    public static readonly AsciiCaseInsensitiveComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y)
    {
        if (x is null || y is null || x.Length != y.Length) return ReferenceEquals(x, y);
        for (var i = 0; i < x.Length; i++)
        {
            if ((x[i] | 0x20) != (y[i] | 0x20)) return false;
        }

        return true;
    }

    public int GetHashCode(byte[] bytes)
    {
        var hash = new HashCode();
        foreach (var b in bytes) hash.Add(b | 0x20);
        return hash.ToHashCode();
    }
}
