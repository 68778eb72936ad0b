using System.Text;

namespace ActorCache.Keyspace;

/// <summary>
/// A binary-safe key with its hash computed once: the dictionary key of every per-key structure in a keyspace.
/// The bytes are never mutated after construction.
/// </summary>
internal readonly struct CacheKey : IEquatable<CacheKey>
{
    private readonly int _hash;

    public CacheKey(byte[] bytes)
    {
        Bytes = bytes;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        _hash = hash.ToHashCode();
    }

    public byte[] Bytes { get; }

    public bool Equals(CacheKey other) => _hash == other._hash && Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

    public override int GetHashCode() => _hash;

    public override string ToString() => Encoding.UTF8.GetString(Bytes);
}
