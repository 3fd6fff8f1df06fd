using Shop.Benchmarks.Mix;
using Shop.Benchmarks.Processes;

namespace Shop.Benchmarks.Perf;

/// <summary>How a measured figure compares with its target.</summary>
public enum Verdict { Pass, Fail, NotApplicable }

/// <summary>One row of the performance table: the figure, its target, what this run measured, and where the CPU went.</summary>
/// <param name="Value">The measured number the verdict compares (ms, orders/s, req/s, MiB or cores as the figure says).</param>
/// <param name="DiskFlushes">The disk's durable writes during the row (<see cref="DiskFlushProbe"/>): the sequential and step rows.</param>
/// <param name="Steps">The step row's steps, each with its own disk figures.</param>
public sealed record PerfRow(string Figure, string Target, string Measured, double Value, Verdict Verdict, CpuBreakdown? Cpu, string? Note = null,
    DiskFlushFigures? DiskFlushes = null, IReadOnlyList<StepFigures>? Steps = null);

/// <summary>Everything one `./shop bench perf` run measured; written as perf.json and perf.html.</summary>
/// <param name="SpanBreakdown">The span breakdown of idle orders as printed (empty when the row was not asked for).</param>
public sealed record PerfReport(DateTimeOffset StartedAt, string Mode, bool DashboardOn, IReadOnlyList<PerfRow> Rows, IReadOnlyList<string> Notes,
    IReadOnlyList<string> SpanBreakdown)
{
    public static Verdict AtMost(double value, double limit) => double.IsNaN(value) ? Verdict.Fail : value <= limit ? Verdict.Pass : Verdict.Fail;

    public static Verdict AtLeast(double value, double limit) => double.IsNaN(value) ? Verdict.Fail : value >= limit ? Verdict.Pass : Verdict.Fail;
}
