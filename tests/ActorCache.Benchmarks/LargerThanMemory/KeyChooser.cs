namespace ActorCache.Benchmarks.LargerThanMemory;

/// <summary>Picks key indexes in [0, N): uniform, or Zipfian with exponent s by a precomputed CDF and binary search.</summary>
public sealed class KeyChooser
{
    private readonly int _keys;
    private readonly double[]? _cdf;
    private readonly long _scatter;

    private KeyChooser(int keys, double[]? cdf)
    {
        _keys = keys;
        _cdf = cdf;
        // Rank r maps to key (r * scatter) mod N so the hot keys are spread over the key space (and the load order).
        long scatter = 2_654_435_761L % keys;
        if (scatter == 0) scatter = 1;
        while (Gcd(scatter, keys) != 1) scatter++;
        _scatter = scatter;
    }

    public string Name => _cdf is null ? "uniform" : "zipfian";

    public static KeyChooser Uniform(int keys) => new(keys, null);

    public static KeyChooser Zipfian(int keys, double s)
    {
        var cdf = new double[keys];
        double sum = 0;
        for (var i = 0; i < keys; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, s);
            cdf[i] = sum;
        }

        for (var i = 0; i < keys; i++) cdf[i] /= sum;
        return new KeyChooser(keys, cdf);
    }

    public int Next(Random random)
    {
        if (_cdf is null) return random.Next(_keys);
        var u = random.NextDouble();
        int lo = 0, hi = _cdf.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_cdf[mid] < u) lo = mid + 1;
            else hi = mid;
        }

        return (int)(lo * _scatter % _keys);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
