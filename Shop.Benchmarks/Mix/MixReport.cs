using Shop.Benchmarks.Infrastructure;

namespace Shop.Benchmarks.Mix;

public sealed record RequestSample(string Operation, double AtSeconds, double LatencyMs, int Status)
{
    public bool IsError => Status is 0 or >= 400;
}

public sealed record EndpointFigures(string Operation, int Requests, double RequestsPerSecond, double P50Ms, double P95Ms,
    double P99Ms, double MaxMs, int Errors, IReadOnlyDictionary<string, int> ErrorsByStatus);

public sealed record SecondFigures(int Second, int Requests, double P50Ms, double P99Ms, int Errors);

/// <param name="DiskFlushes">The disk's durable writes during the step (<see cref="DiskFlushProbe"/>).</param>
public sealed record StepFigures(double TargetRate, double AchievedRate, double P99Ms, double ErrorRate, bool WithinBounds, DiskFlushFigures DiskFlushes);

public sealed record ProcessFigures(string Process, double AverageCpuShare, double MaxCpuShare, double AverageRssMiB, double MaxRssMiB);

public sealed record PipelineFigures(int Sampled, int Lost, double P50Ms, double P99Ms, double MaxMs);

/// <summary>Everything one `./shop bench` run measured; written as report.json and rendered as report.html.</summary>
public sealed record MixReport(
    DateTimeOffset StartedAt,
    string Target,
    string Mode,
    double TargetRate,
    double DurationSeconds,
    int VirtualUsers,
    IReadOnlyDictionary<string, int> Weights,
    EndpointFigures Total,
    IReadOnlyList<EndpointFigures> Endpoints,
    IReadOnlyList<SecondFigures> Timeline,
    IReadOnlyList<StepFigures> Steps,
    double? SustainableRate,
    double OrdersPerSecond,
    PipelineFigures OrderPipeline,
    DiskFlushFigures DiskFlushes,
    IReadOnlyList<ProcessFigures> Processes,
    double ServicesTotalRssMiB,
    double ServicesTotalPssMiB,
    double GeneratorCpuShare,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> GateFailures)
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        Percentiles.NearestRank(sorted, p, whenEmpty: 0);

    public static EndpointFigures Summarise(string operation, IReadOnlyList<RequestSample> samples, double seconds)
    {
        var latencies = samples.Select(s => s.LatencyMs).Order().ToList();
        var errors = samples.Where(s => s.IsError).GroupBy(s => s.Status == 0 ? "exception" : s.Status.ToString())
            .ToDictionary(g => g.Key, g => g.Count());
        return new EndpointFigures(operation, samples.Count, samples.Count / Math.Max(seconds, 0.001),
            Percentile(latencies, 50), Percentile(latencies, 95), Percentile(latencies, 99), Percentile(latencies, 100),
            errors.Values.Sum(), errors);
    }

    public static IReadOnlyList<SecondFigures> BuildTimeline(IReadOnlyList<RequestSample> samples) =>
        samples.GroupBy(s => (int)s.AtSeconds).OrderBy(g => g.Key).Select(g =>
        {
            var latencies = g.Select(s => s.LatencyMs).Order().ToList();
            return new SecondFigures(g.Key, g.Count(), Percentile(latencies, 50), Percentile(latencies, 99), g.Count(s => s.IsError));
        }).ToList();

    public static IReadOnlyList<ProcessFigures> SummariseProcesses(IReadOnlyList<ProcessSample> samples) =>
        samples.GroupBy(s => s.Process).OrderBy(g => g.Key).Select(g =>
        {
            // Replicas share a name: add them up per sampling moment.
            var perMoment = g.GroupBy(s => s.AtSeconds).Select(m => (Cpu: m.Sum(s => s.CpuShare), Rss: m.Sum(s => s.RssBytes) / 1048576.0)).ToList();
            return new ProcessFigures(g.Key, perMoment.Average(m => m.Cpu), perMoment.Max(m => m.Cpu), perMoment.Average(m => m.Rss), perMoment.Max(m => m.Rss));
        }).ToList();
}
