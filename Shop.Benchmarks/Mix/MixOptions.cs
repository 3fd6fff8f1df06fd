using System.Globalization;

namespace Shop.Benchmarks.Mix;

/// <summary>Options of the shopping-mix load run, from the command line (see <see cref="Usage"/>).</summary>
public sealed record MixOptions
{
    public Uri? Target { get; init; }
    /// <summary>The storefront (Shop.WebApp) the page operations ask; the started system's when null.</summary>
    public Uri? StorefrontTarget { get; init; }
    public int? AppHostPid { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);
    public double Rate { get; init; } = 100;
    public int Users { get; init; } = 50;
    public IReadOnlyDictionary<string, int> Weights { get; init; } = DefaultWeights;
    public bool Step { get; init; }
    public double StepStart { get; init; } = 50;
    public double StepIncrement { get; init; } = 50;
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(15);
    public double StepMaxP99Ms { get; init; } = 50;
    public double StepMaxErrorRate { get; init; } = 0.001;
    public double? MaxP99Ms { get; init; }
    public double? MaxErrorRate { get; init; }
    public string ReportDirectory { get; init; } = "bench-results";
    public int MaxConcurrency { get; init; } = 2000;
    public bool Dashboard { get; init; } = true;

    public static readonly IReadOnlyDictionary<string, int> DefaultWeights = new Dictionary<string, int>
    {
        [MixOperations.Browse] = 10,
        [MixOperations.ViewProduct] = 10,
        [MixOperations.Search] = 5,
        [MixOperations.Categories] = 2,
        [MixOperations.CreateOrder] = 2,
        [MixOperations.PayOrder] = 1,
        [MixOperations.ListOrders] = 3,
        [MixOperations.Notifications] = 1,
    };

    /// <summary>Every operation a --mix can weigh: the API mix's and the storefront's pages.</summary>
    public static IEnumerable<string> KnownOperations => DefaultWeights.Keys.Concat(StorefrontPages.Weights.Keys);

    public bool HasPages => Weights.Any(w => w.Value > 0 && StorefrontPages.Is(w.Key));

    public const string Usage = """
        ./shop bench [options]                 the shopping mix through the gateway (starts the system unless --target)
        ./shop bench scenario NAME...          a per-service benchmark (users, products, orders, gateway, all)
        ./shop bench perf [--help]             the performance table: every figure with target and verdict

        Options:
          --target URL           run against an already running gateway (e.g. http://localhost:8080)
          --apphost-pid PID      with --target: the Shop.AppHost process whose services are measured (found by name when one runs)
          --duration SECONDS     length of the measured run (default 60)
          --warmup SECONDS       unmeasured run at the first rate before measuring: JIT, pools, caches (default 10)
          --rate N               arrivals per second, open loop (default 100)
          --users N              virtual users, each registers and logs in once (default 50)
          --mix name=w,...       weights: browse, view, search, categories, order, pay, orders, notifications,
                                 and the storefront's pages: page-catalog, page-product, page-search, page-cart
          --storefront           the storefront variant: whole pages of Shop.WebApp instead of API calls (weights
                                 page-catalog 10, page-product 10, page-search 5, page-cart 3 unless --mix)
          --storefront-target URL  with --target: the running storefront the pages come from (e.g. http://localhost:8081)
          --step                 raise the rate step by step until p99 or errors exceed the bounds
          --step-start N --step-increment N --step-duration SECONDS
          --step-max-p99-ms MS   bound of the step mode (default 50); errors bound 0.1 %
          --max-p99-ms MS        gate: exit 1 when the overall p99 is above MS
          --max-error-rate R     gate: exit 1 when the error rate (0..1) is above R
          --report DIR           where report.json and report.html go (default bench-results)
          --no-dashboard         start the system without Aspire's dashboard (it runs by default, showing the run live)
        """;

    public static MixOptions Parse(IReadOnlyList<string> args)
    {
        var options = new MixOptions();
        var storefront = false;
        var mixGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
            if (args[i] == "--storefront")
            {
                storefront = true;
                continue;
            }
            mixGiven |= args[i] == "--mix";
            options = args[i] switch
            {
                "--target" => options with { Target = new Uri(Next()) },
                "--apphost-pid" => options with { AppHostPid = (int)Number() },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Number()) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Number()) },
                "--rate" => options with { Rate = Number() },
                "--users" => options with { Users = (int)Number() },
                "--mix" => options with { Weights = ParseWeights(Next()) },
                "--storefront-target" => options with { StorefrontTarget = new Uri(Next()) },
                "--step" => options with { Step = true },
                "--step-start" => options with { StepStart = Number() },
                "--step-increment" => options with { StepIncrement = Number() },
                "--step-duration" => options with { StepDuration = TimeSpan.FromSeconds(Number()) },
                "--step-max-p99-ms" => options with { StepMaxP99Ms = Number() },
                "--max-p99-ms" => options with { MaxP99Ms = Number() },
                "--max-error-rate" => options with { MaxErrorRate = Number() },
                "--report" => options with { ReportDirectory = Next() },
                "--no-dashboard" => options with { Dashboard = false },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'"),
            };
        }
        if (options.Rate <= 0 || options.Users <= 0 || options.Duration <= TimeSpan.Zero || options.Warmup < TimeSpan.Zero)
        {
            throw new ArgumentException("--rate, --users and --duration must be positive");
        }
        if (storefront && !mixGiven) options = options with { Weights = StorefrontPages.Weights };
        if (options.HasPages && options.Target is not null && options.StorefrontTarget is null)
        {
            throw new ArgumentException("--target with storefront pages needs --storefront-target URL (the running storefront, e.g. http://localhost:8081)");
        }
        return options;
    }

    private static Dictionary<string, int> ParseWeights(string text)
    {
        var weights = KnownOperations.ToDictionary(name => name, _ => 0);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || !weights.ContainsKey(parts[0]) || !int.TryParse(parts[1], out var weight) || weight < 0)
            {
                throw new ArgumentException($"--mix: '{pair}' is not name=weight with a known name ({string.Join(", ", KnownOperations)})");
            }
            weights[parts[0]] = weight;
        }
        if (weights.Values.Sum() == 0) throw new ArgumentException("--mix: at least one weight must be positive");
        return weights;
    }
}
