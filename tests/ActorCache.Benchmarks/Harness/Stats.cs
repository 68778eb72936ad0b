namespace ActorCache.Benchmarks.Harness;

/// <summary>Median and spread of repeated measurements.</summary>
public static class Stats
{
    public static double Median(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) return double.NaN;
        var sorted = samples.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>"1.23M", "456k", "789" for rates.</summary>
    public static string Rate(double perSecond) => perSecond switch
    {
        double.NaN => "-",
        >= 10_000_000 => $"{perSecond / 1_000_000:F1}M",
        >= 1_000_000 => $"{perSecond / 1_000_000:F2}M",
        >= 10_000 => $"{perSecond / 1_000:F0}k",
        >= 1_000 => $"{perSecond / 1_000:F1}k",
        _ => $"{perSecond:F0}",
    };

    public static string Ratio(double ratio) => double.IsNaN(ratio) ? "-" : $"{ratio:F2}";
}
