namespace Shop.Benchmarks.Infrastructure;

/// <summary>The one percentile definition of every benchmark figure: nearest rank over ascending values.</summary>
public static class Percentiles
{
    /// <param name="sorted">Values in ascending order.</param>
    /// <param name="p">0–100; 100 is the maximum.</param>
    /// <param name="whenEmpty">The answer for no values (a JSON report cannot carry NaN).</param>
    public static double NearestRank(IReadOnlyList<double> sorted, double p, double whenEmpty = double.NaN) =>
        sorted.Count == 0 ? whenEmpty : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
