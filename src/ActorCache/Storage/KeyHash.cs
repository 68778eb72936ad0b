using System.IO.Hashing;

namespace ActorCache.Storage;

/// <summary>
/// The stable 64-bit position of a key in SCAN order. Memory and disk both order keys by it, so a SCAN cursor
/// is a position that means the same thing in both and survives restarts (it is part of the RocksDB key layout).
/// </summary>
public static class KeyHash
{
    /// <summary>The SCAN position of <paramref name="key"/>: XxHash64 with seed 0, stable across versions and machines.</summary>
    public static ulong ScanPosition(ReadOnlySpan<byte> key) => XxHash64.HashToUInt64(key);
}
