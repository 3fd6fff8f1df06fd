using System.Collections.Concurrent;
using System.Diagnostics;
using Shop.Benchmarks.Processes;

namespace Shop.Benchmarks.Mix;

/// <summary>
/// Runs the shopping mix open-loop: arrivals at a fixed rate, each a weighted random operation of a random
/// virtual user; latency counts from the scheduled arrival, so a slow system cannot slow the generator and hide
/// its queueing. Optionally steps the rate up until the bounds break.
/// </summary>
public sealed class MixRunner(MixOptions options, TextWriter output, SystemScope? scope)
{
    /// <summary>Called when the measured phase starts (after setup and warm-up) and when it ends, e.g. to take CPU snapshots.</summary>
    public Action<bool>? MeasuredPhase { get; init; }

    public async Task<(MixReport Report, int ExitCode)> RunAsync(Uri target, IReadOnlyList<string> notes, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1024,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            UseCookies = false,
        };
        using var http = new HttpClient(handler) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        using var storefront = options.HasPages
            ? new HttpClient(handler, disposeHandler: false)
            {
                BaseAddress = options.StorefrontTarget ?? throw new InvalidOperationException("The storefront's address is needed for page operations."),
                Timeout = TimeSpan.FromSeconds(30),
            }
            : null;
        var started = DateTimeOffset.UtcNow;

        output.WriteLine($"Setting up {options.Users} virtual users (register + login) against {target}");
        var runId = Guid.NewGuid().ToString("N")[..8];
        var users = new VirtualUser[options.Users];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Users), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => users[i] = await VirtualUser.RegisterAsync(http, runId, i, ct));
        var catalog = await Catalog.LoadAsync(http, users, cancellationToken);
        output.WriteLine($"Catalog: {catalog.ProductIds.Count} products known, {catalog.OrderableIds.Count} well in stock for orders");
        if (options.Weights.GetValueOrDefault(StorefrontPages.Cart) > 0)
        {
            foreach (var user in users) user.CartId = await StorefrontPages.CreateCartAsync(http, catalog, Random.Shared, cancellationToken);
            output.WriteLine($"Storefront: {storefront!.BaseAddress}, an anonymous cart of two lines per virtual user");
        }

        if (options.Warmup > TimeSpan.Zero)
        {
            var warmupRate = options.Step ? options.StepStart : options.Rate;
            output.WriteLine($"Warming up at {warmupRate}/s for {options.Warmup.TotalSeconds:F0} s (not measured)");
            await RunPhaseAsync(warmupRate, options.Warmup, Stopwatch.StartNew(), http, storefront, users, catalog, new OrderPipelineProbe(http), cancellationToken);
        }

        var probe = new OrderPipelineProbe(http);
        var sampler = new ResourceSampler(scope);
        using var stopBackground = new CancellationTokenSource();
        using var flushes = new DiskFlushProbe();
        MeasuredPhase?.Invoke(true);
        var clock = Stopwatch.StartNew();
        flushes.Start(clock);
        var samplerTask = sampler.RunAsync(TimeSpan.Zero, stopBackground.Token);
        var probeTask = probe.RunAsync(stopBackground.Token, TimeSpan.FromSeconds(30));

        var samples = new List<RequestSample>();
        var steps = new List<StepFigures>();
        double? sustainable = null;
        if (options.Step)
        {
            for (var rate = options.StepStart; !cancellationToken.IsCancellationRequested; rate += options.StepIncrement)
            {
                var stepStart = clock.Elapsed.TotalSeconds;
                var phase = await RunPhaseAsync(rate, options.StepDuration, clock, http, storefront, users, catalog, probe, cancellationToken);
                samples.AddRange(phase);
                var disk = flushes.Summarise(stepStart, clock.Elapsed.TotalSeconds);
                var figures = MixReport.Summarise("step", phase, options.StepDuration.TotalSeconds);
                var errorRate = figures.Requests == 0 ? 1 : (double)figures.Errors / figures.Requests;
                var within = figures.P99Ms <= options.StepMaxP99Ms && errorRate <= options.StepMaxErrorRate;
                steps.Add(new StepFigures(rate, figures.RequestsPerSecond, figures.P99Ms, errorRate, within, disk));
                output.WriteLine($"  step {rate,6:F0}/s: achieved {figures.RequestsPerSecond,6:F0}/s  p99 {figures.P99Ms,8:F1} ms  errors {errorRate:P2}  {(within ? "ok" : "over the bounds")}"
                    + $"  ({disk.Brief()})");
                if (!within) break;
                sustainable = rate;
            }
        }
        else
        {
            output.WriteLine($"Running the mix at {options.Rate}/s for {options.Duration.TotalSeconds:F0} s");
            samples.AddRange(await RunPhaseAsync(options.Rate, options.Duration, clock, http, storefront, users, catalog, probe, cancellationToken));
        }

        var measuredSeconds = clock.Elapsed.TotalSeconds;
        MeasuredPhase?.Invoke(false);
        stopBackground.Cancel();
        await Task.WhenAll(samplerTask, probeTask);

        var report = BuildReport(started, target, samples, measuredSeconds, steps, sustainable, probe, sampler, flushes.Summarise(0, measuredSeconds), notes);
        var gates = report.GateFailures;
        return (report, gates.Count == 0 ? 0 : 1);
    }

    private async Task<List<RequestSample>> RunPhaseAsync(double rate, TimeSpan duration, Stopwatch clock, HttpClient http, HttpClient? storefront,
        VirtualUser[] users, Catalog catalog, OrderPipelineProbe probe, CancellationToken cancellationToken)
    {
        var picker = new WeightedRoundRobin(options.Weights);
        var arrivals = (int)(rate * duration.TotalSeconds);
        var results = new ConcurrentBag<RequestSample>();
        var tasks = new List<Task>(arrivals);
        var phaseStart = clock.Elapsed;

        for (var i = 0; i < arrivals && !cancellationToken.IsCancellationRequested; i++)
        {
            var scheduled = phaseStart + TimeSpan.FromSeconds(i / rate);
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, cancellationToken);

            var operation = picker.Next();
            var user = users[Random.Shared.Next(users.Length)];
            tasks.Add(Task.Run(async () =>
            {
                int status;
                try
                {
                    status = (int)(StorefrontPages.Is(operation)
                        ? await StorefrontPages.GetAsync(storefront!, operation, user, catalog, Random.Shared, cancellationToken)
                        : await MixOperations.ExecuteAsync(operation, http, user, catalog, probe, Random.Shared, cancellationToken));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    status = 0;
                }
                results.Add(new RequestSample(operation, scheduled.TotalSeconds, (clock.Elapsed - scheduled).TotalMilliseconds, status));
            }, CancellationToken.None));
        }
        await Task.WhenAll(tasks);
        return [.. results];
    }

    private MixReport BuildReport(DateTimeOffset started, Uri target, List<RequestSample> samples, double seconds,
        List<StepFigures> steps, double? sustainable, OrderPipelineProbe probe, ResourceSampler sampler, DiskFlushFigures diskFlushes,
        IReadOnlyList<string> notes)
    {
        var total = MixReport.Summarise("total", samples, seconds);
        var endpoints = samples.GroupBy(s => s.Operation).OrderBy(g => g.Key)
            .Select(g => MixReport.Summarise(g.Key, g.ToList(), seconds)).ToList();
        var processSamples = sampler.Samples;
        var processes = MixReport.SummariseProcesses(processSamples);
        var servicesPerMoment = processSamples.Where(s => s.Process != ResourceSampler.GeneratorName).GroupBy(s => s.AtSeconds)
            .Select(m => (Rss: m.Sum(s => s.RssBytes) / 1048576.0, Pss: m.Sum(s => s.PssBytes) / 1048576.0)).ToList();
        var servicesRss = servicesPerMoment.Select(m => m.Rss).DefaultIfEmpty(0).Max();
        var servicesPss = servicesPerMoment.Select(m => m.Pss).DefaultIfEmpty(0).Max();
        var generatorCpu = processes.FirstOrDefault(p => p.Process == ResourceSampler.GeneratorName)?.AverageCpuShare ?? double.NaN;
        var pipeline = probe.LatenciesMs;
        var ordersCreated = samples.Count(s => s.Operation == MixOperations.CreateOrder && s.Status == 201);

        var gates = new List<string>();
        var errorRate = total.Requests == 0 ? 1 : (double)total.Errors / total.Requests;
        if (options.MaxP99Ms is { } maxP99 && total.P99Ms > maxP99) gates.Add($"p99 {total.P99Ms:F1} ms is above --max-p99-ms {maxP99}");
        if (options.MaxErrorRate is { } maxErrors && errorRate > maxErrors) gates.Add($"error rate {errorRate:P3} is above --max-error-rate {maxErrors}");

        return new MixReport(started, target.ToString(), options.Step ? "step" : "fixed-rate", options.Step ? options.StepStart : options.Rate,
            seconds, options.Users, options.Weights, total, endpoints, MixReport.BuildTimeline(samples), steps, sustainable,
            ordersCreated / seconds,
            new PipelineFigures(pipeline.Count, probe.Lost, MixReport.Percentile(pipeline, 50), MixReport.Percentile(pipeline, 99), MixReport.Percentile(pipeline, 100)),
            diskFlushes, processes, servicesRss, servicesPss, generatorCpu, notes, gates);
    }
}
