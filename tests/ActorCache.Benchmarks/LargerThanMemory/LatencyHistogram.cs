using System.Numerics;

namespace ActorCache.Benchmarks.LargerThanMemory;

/// <summary>
/// Log-bucketed latency histogram in nanoseconds (HdrHistogram-like: 32 sub-buckets per power of two, about 3 %
/// precision). One per connection, merged at the end; not thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 5;
    private const int Sub = 1 << SubBits;
    private const int Linear = Sub * 2;
    private readonly long[] _counts = new long[Linear + 64 * Sub];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long nanos)
    {
        if (nanos < 0) nanos = 0;
        _counts[Index(nanos)]++;
        Count++;
        if (nanos > Max) Max = nanos;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at quantile q (0..1), in microseconds; NaN when empty.</summary>
    public double PercentileMicros(double q)
    {
        if (Count == 0) return double.NaN;
        var rank = (long)Math.Ceiling(q * Count);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(Mid(i), Max) / 1000.0;
        }

        return Max / 1000.0;
    }

    private static int Index(long v)
    {
        if (v < Linear) return (int)v;
        var msb = 63 - BitOperations.LeadingZeroCount((ulong)v);
        var shift = msb - SubBits; // >= 1
        var top = (int)(v >> shift); // in [Sub, 2 Sub)
        return Linear + (shift - 1) * Sub + (top - Sub);
    }

    private static long Mid(int index)
    {
        if (index < Linear) return index;
        var shift = (index - Linear) / Sub + 1;
        var top = (long)((index - Linear) % Sub + Sub);
        return (top << shift) + (1L << (shift - 1));
    }
}
