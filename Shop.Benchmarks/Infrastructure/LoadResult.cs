namespace Shop.Benchmarks.Infrastructure;

/// <summary>Figures of one load run: throughput, latency percentiles and failures by status.</summary>
public sealed record LoadResult(string Name, int Requests, int Errors, TimeSpan Elapsed, double[] LatenciesMs,
    IReadOnlyDictionary<string, int> Statuses)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double Percentile(double p) => Percentiles.NearestRank(LatenciesMs, p);

    public override string ToString() =>
        $"{Name,-40} {RequestsPerSecond,9:F0} req/s  p50 {Percentile(50),7:F2} ms  p99 {Percentile(99),7:F2} ms  " +
        $"max {Percentile(100),8:F2} ms  errors {Errors}/{Requests}" +
        (Errors > 0 ? $"  [{string.Join(", ", Statuses.Select(s => $"{s.Key}: {s.Value}"))}]" : "");
}
