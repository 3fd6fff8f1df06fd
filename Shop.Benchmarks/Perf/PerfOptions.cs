using System.Globalization;

namespace Shop.Benchmarks.Perf;

/// <summary>Options of `./shop bench perf`, the performance table in one run (see <see cref="Usage"/>).</summary>
public sealed record PerfOptions
{
    public Uri? Target { get; init; }
    public int? AppHostPid { get; init; }
    public bool Dashboard { get; init; }
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(20);
    public int SequentialOrders { get; init; } = 200;
    public int TracedOrders { get; init; } = Traces.OrderTrace.DefaultOrders;
    public TimeSpan ClosedLoop { get; init; } = TimeSpan.FromSeconds(20);
    public int Workers { get; init; } = 32;
    public double MixRate { get; init; } = 100;
    public TimeSpan MixDuration { get; init; } = TimeSpan.FromSeconds(30);
    public double StepStart { get; init; } = 100;
    public double StepIncrement { get; init; } = 100;
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(10);
    public IReadOnlySet<string> Rows { get; init; } = AllRows;
    public string ReportDirectory { get; init; } = "bench-results";

    public const string IdleRow = "idle", SequentialRow = "sequential", SpansRow = "spans", CpuRow = "cpu", ThroughputRow = "throughput", MixRow = "mix", StepRow = "step";
    public static readonly IReadOnlySet<string> AllRows = new HashSet<string> { IdleRow, SequentialRow, SpansRow, CpuRow, ThroughputRow, MixRow, StepRow };

    public const string Usage = """
        ./shop bench perf [options]     every figure of the performance table in one run, with target,
                                        measured value, pass/fail and the CPU of every process of the system per row

        Options:
          --target URL            measure a running system (e.g. `./shop run`: Debug, dashboard on) through its gateway;
                                  its processes are found from its Shop.AppHost process
          --apphost-pid PID       with --target, when several Shop.AppHost processes run
          --dashboard             start the system with Aspire's dashboard (default: off, as the Release rows ask)
          --rows a,b,...          only these rows: idle, sequential, spans, cpu, throughput, mix, step (default: all);
                                  spans = the span breakdown of idle orders, read from the dashboard (dashboard on only)
          --warmup SECONDS        unmeasured create+pay closed loop first (default 30)
          --idle SECONDS          idle window for the idle CPU row (default 20)
          --sequential N          orders created and paid one at a time for the idle latency row (default 200)
          --traced N              orders traced for the spans row: medians and 90th percentiles per span (default 20)
          --closed-loop SECONDS   each closed-loop window: create+pay, then create only (default 20)
          --workers N             closed-loop workers (default 32)
          --mix-rate N --mix-duration SECONDS    the fixed-rate mix row (default 100/s for 30 s)
          --step-start N --step-increment N --step-duration SECONDS   the step-mode row (default 100, +100, 10 s)
          --report DIR            where perf.json and perf.html go (default bench-results)
        """;

    public static PerfOptions Parse(IReadOnlyList<string> args)
    {
        var options = new PerfOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(Number());
            options = args[i] switch
            {
                "--target" => options with { Target = new Uri(Next()) },
                "--apphost-pid" => options with { AppHostPid = (int)Number() },
                "--dashboard" => options with { Dashboard = true },
                "--rows" => options with { Rows = ParseRows(Next()) },
                "--warmup" => options with { Warmup = Seconds() },
                "--idle" => options with { Idle = Seconds() },
                "--sequential" => options with { SequentialOrders = (int)Number() },
                "--traced" => options with { TracedOrders = (int)Number() },
                "--closed-loop" => options with { ClosedLoop = Seconds() },
                "--workers" => options with { Workers = (int)Number() },
                "--mix-rate" => options with { MixRate = Number() },
                "--mix-duration" => options with { MixDuration = Seconds() },
                "--step-start" => options with { StepStart = Number() },
                "--step-increment" => options with { StepIncrement = Number() },
                "--step-duration" => options with { StepDuration = Seconds() },
                "--report" => options with { ReportDirectory = Next() },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'"),
            };
        }
        if (options.Workers <= 0 || options.SequentialOrders <= 0 || options.TracedOrders <= 0 || options.MixRate <= 0 || options.StepStart <= 0 || options.StepIncrement <= 0
            || options.Idle <= TimeSpan.Zero || options.ClosedLoop <= TimeSpan.Zero || options.MixDuration <= TimeSpan.Zero
            || options.StepDuration <= TimeSpan.Zero || options.Warmup < TimeSpan.Zero)
        {
            throw new ArgumentException("Counts, rates and durations must be positive (--warmup may be 0).");
        }
        if (options.Target is not null && options.Dashboard)
        {
            throw new ArgumentException("--dashboard starts a system; with --target the running system's dashboard is measured as it is.");
        }
        return options;
    }

    private static HashSet<string> ParseRows(string text)
    {
        var rows = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = rows.Except(AllRows).ToList();
        if (rows.Count == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"--rows: unknown row(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllRows)}");
        }
        return rows;
    }
}
