using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Shop.AppHost.Hosting;
using Shop.Benchmarks.Infrastructure;
using Shop.Benchmarks.Mix;
using Shop.Benchmarks.Processes;
using Shop.Benchmarks.Traces;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Benchmarks.Perf;

/// <summary>
/// `./shop bench perf`: each figure of the performance table (README, Benchmarks), measured in one run through the gateway, each
/// with the CPU every process of the system used for it (from /proc over the row's window). Rows run in this order:
/// warm-up, idle CPU, sequential orders, the span breakdown of idle orders (dashboard on), closed loop create+pay, closed loop create only, fixed-rate mix, step mix.
/// </summary>
public sealed class PerfCommand(PerfOptions options, TextWriter output)
{
    /// <summary>The time a pipeline needs after load before the system is idle (outbox relay, Notifier, GC).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    /// <summary>The longest the idle row waits for autovacuum's backlog (it visits each database once a minute).</summary>
    private static readonly TimeSpan AutovacuumWait = TimeSpan.FromSeconds(180);

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (!BenchCommand.TryParse(() => PerfOptions.Parse(args), PerfOptions.Usage, output, out var options)) return 2;

        ShopApp? app = null;
        try
        {
            Uri target;
            SystemScope scope;
            AutovacuumBacklog? autovacuum = null;
            var notes = new List<string>();
            if (options.Target is { } given)
            {
                target = given;
                if (BenchCommand.TryFindRunning(options.AppHostPid, output.WriteLine) is not { } running) return 2;
                scope = running;
                notes.Add($"Against a running system (AppHost pid {scope.AppHostPid}); its gateway rate limits apply as configured there.");
            }
            else
            {
                app = await BenchCommand.StartSystemAsync(options.Dashboard, output);
                target = app.GetEndpoint(ShopResources.Gateway);
                scope = SystemScope.InThisProcess();
                autovacuum = new AutovacuumBacklog(await Task.WhenAll(
                    app.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<LocalPostgresDatabaseResource>()
                        .Select(async db => await db.ConnectionStringExpression.GetValueAsync(cancellationToken)
                            ?? throw new InvalidOperationException($"No connection string for {db.Name}."))));
                notes.Add("The bench started the system: the AppHost runs inside the generator's process (Aspire.Hosting.Testing), so " +
                          $"'{ProcessRoles.GeneratorWithAppHost}' is both; the embedded broker's librdkafka threads (rdk:*) are counted apart as '{ProcessRoles.KafkaBroker}'.");
                notes.Add("The gateway's rate limits were raised for this run, so the figures measure the services, not the limiter.");
            }
            notes.Add($"Machine: {Environment.ProcessorCount} cores; generator and system share it (loopback). CPU from /proc: user + system time of every process, reaped children included.");

            var report = await new PerfCommand(options, output).MeasureAsync(target, scope, autovacuum, notes, cancellationToken);
            await PerfWriter.WriteAsync(report, options.ReportDirectory, output);
            return report.Rows.Any(r => r.Verdict == Verdict.Fail) ? 1 : 0;
        }
        finally
        {
            if (app is not null) await app.DisposeAsync();
        }
    }

    private async Task<PerfReport> MeasureAsync(Uri target, SystemScope scope, AutovacuumBacklog? autovacuum, List<string> notes,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var processes = scope.Processes();
        var dashboardOn = processes.Any(p => p.Role == ProcessRoles.Dashboard);
        var build = processes.Where(p => ProcessRoles.IsService(p.Role)).Select(p => p.Argv[0]).FirstOrDefault() switch
        {
            { } path when path.Contains("/bin/Release/", StringComparison.Ordinal) => "Release",
            { } path when path.Contains("/bin/Debug/", StringComparison.Ordinal) => "Debug",
            _ => "build unknown",
        };
        var mode = $"{(options.Target is null ? "started by the bench" : $"target {target}")}: services {build}, dashboard {(dashboardOn ? "on" : "off")}";
        output.WriteLine($"Measuring {mode}");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2), UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        var runId = Guid.NewGuid().ToString("N")[..8];
        output.WriteLine($"Setting up {options.Workers} customers (register + login)");
        var users = new VirtualUser[options.Workers];
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => users[i] = await VirtualUser.RegisterAsync(http, runId, i, ct));
        var catalog = await Catalog.LoadAsync(http, users, cancellationToken);
        var orders = new OrderFlow(http, catalog);

        if (options.Warmup > TimeSpan.Zero)
        {
            output.WriteLine($"Warming up: create + pay closed loop for {options.Warmup.TotalSeconds:F0} s (JIT, pools, caches; not measured)");
            await LoadRunner.ClosedLoopAsync("warm-up", options.Workers, options.Warmup, orders.CreateAndPay(users));
        }

        var rows = new List<PerfRow>();
        void Print(PerfRow row)
        {
            rows.Add(row);
            output.WriteLine($"  {row.Figure}: {row.Measured}");
        }
        // Each target applies in one mode: the dashboard-on rows in the F5 mode, the others in the Release run without it.
        Verdict Off(Verdict verdict) => dashboardOn ? Verdict.NotApplicable : verdict;
        Verdict On(Verdict verdict) => dashboardOn ? verdict : Verdict.NotApplicable;

        if (options.Rows.Contains(PerfOptions.IdleRow))
        {
            output.WriteLine($"Idle: {Settle.TotalSeconds:F0} s to settle, " +
                (autovacuum is null ? "" : $"then until PostgreSQL's autovacuum has caught up with the load (at most {AutovacuumWait.TotalSeconds:F0} s), ") +
                $"then {options.Idle.TotalSeconds:F0} s without load");
            var settling = CpuSnapshot.Take(scope);
            await Task.Delay(Settle, cancellationToken);
            var caughtUp = "";
            if (autovacuum is not null)
            {
                var (waited, stillDue) = await autovacuum.WaitUntilCaughtUpAsync(AutovacuumWait, cancellationToken);
                var meanwhile = CpuBreakdown.Between(settling, CpuSnapshot.Take(scope), 0, "second");
                caughtUp = stillDue.Count == 0
                    ? $"; before it, {(Settle + waited).TotalSeconds:F0} s until autovacuum had caught up, {meanwhile.TotalCores:F3} cores"
                    : $"; autovacuum had not caught up after {(Settle + waited).TotalSeconds:F0} s ({meanwhile.TotalCores:F3} cores): {string.Join(", ", stillDue)}";
                output.WriteLine($"  settled{caughtUp}");
            }
            else
            {
                notes.Add("Idle row: the bench cannot read a running system's databases, so it measured after the fixed settling time, autovacuum's backlog included.");
            }
            var before = CpuSnapshot.Take(scope);
            await Task.Delay(options.Idle, cancellationToken);
            var cpu = CpuBreakdown.Between(before, CpuSnapshot.Take(scope, withMemory: true), 0, "second");
            Print(new PerfRow("idle CPU of the whole system", "≤ 0.05 cores", $"{cpu.TotalCores:F3} cores{caughtUp}", cpu.TotalCores,
                Off(PerfReport.AtMost(cpu.TotalCores, 0.05)), cpu));
        }

        if (options.Rows.Contains(PerfOptions.SequentialRow))
        {
            output.WriteLine($"Sequential: {options.SequentialOrders} orders created and paid one at a time");
            for (var i = 0; i < 10; i++) await orders.CreateAndPayOnceAsync(users[0], cancellationToken); // unmeasured: the customer's first calls
            var creates = new List<double>();
            var pays = new List<double>();
            var failures = 0;
            using var flushes = new DiskFlushProbe();
            var before = CpuSnapshot.Take(scope);
            var clock = Stopwatch.StartNew();
            flushes.Start(clock);
            for (var i = 0; i < options.SequentialOrders; i++)
            {
                var (create, pay, ok) = await orders.CreateAndPayOnceAsync(users[i % users.Length], cancellationToken);
                creates.Add(create);
                if (ok) pays.Add(pay); else failures++;
            }
            var disk = flushes.Summarise(0, clock.Elapsed.TotalSeconds);
            var cpu = CpuBreakdown.Between(before, CpuSnapshot.Take(scope, withMemory: true), options.SequentialOrders - failures, "order (create + pay, one at a time)");
            creates.Sort();
            pays.Sort();
            double P(List<double> values, double p) => Percentiles.NearestRank(values, p, whenEmpty: double.NaN);
            var verdict = failures > 0 ? Verdict.Fail : PerfReport.AtMost(P(creates, 50), 8) == Verdict.Pass && PerfReport.AtMost(P(creates, 99), 20) == Verdict.Pass ? Verdict.Pass : Verdict.Fail;
            Print(new PerfRow("idle order create through the gateway, p50 / p99", "≤ 8 ms / ≤ 20 ms",
                $"{P(creates, 50):F1} ms / {P(creates, 99):F1} ms (pay: {P(pays, 50):F1} / {P(pays, 99):F1} ms; {failures} failed of {options.SequentialOrders}; {disk.Brief()})",
                P(creates, 99), Off(verdict), cpu, DiskFlushes: disk));
        }

        IReadOnlyList<string> spanBreakdown = [];
        if (options.Rows.Contains(PerfOptions.SpansRow))
        {
            spanBreakdown = await OrderTrace.BreakdownAsync(target, scope, users[0], catalog, options.TracedOrders, cancellationToken);
            foreach (var line in spanBreakdown) output.WriteLine(line);
        }

        if (options.Rows.Contains(PerfOptions.CpuRow))
        {
            // The same orders as two requests (create, then pay) first, for the ratio in one run: what the one-request
            // checkout saves. Measured first, so that whatever a later window pays for a larger database counts against
            // the one-request figure, not for it.
            output.WriteLine($"Closed loop, create then pay in two requests: {options.Workers} workers for {options.ClosedLoop.TotalSeconds:F0} s");
            var (twoResult, twoCpu) = await WindowAsync(scope, "order (create, then pay)", () => LoadRunner.ClosedLoopAsync("create, then pay", options.Workers, options.ClosedLoop, orders.CreateAndPay(users)));

            output.WriteLine($"Closed loop, create + pay in one request: {options.Workers} workers for {options.ClosedLoop.TotalSeconds:F0} s");
            var (result, cpu) = await WindowAsync(scope, "order (create + pay)", () => LoadRunner.ClosedLoopAsync("create + pay", options.Workers, options.ClosedLoop, orders.PlaceAndPay(users)));
            string PerOrder(LoadResult loop, CpuBreakdown loopCpu) => $"{loopCpu.TotalMsPerOperation:F2} ms (system without the generator "
                + $"{loopCpu.SystemMsPerOperation:F2} ms; {Succeeded(loop) / loop.Elapsed.TotalSeconds:F0} orders/s, {loop.Errors} errors";
            var measured = PerOrder(result, cpu) + ")";
            Print(dashboardOn
                ? new PerfRow("CPU per order (create + pay), all processes, dashboard on", "≤ 8 ms", measured, cpu.TotalMsPerOperation, PerfReport.AtMost(cpu.TotalMsPerOperation, 8), cpu)
                : new PerfRow("CPU per order (create + pay), all processes, dashboard off", "≤ 4 ms", measured, cpu.TotalMsPerOperation, PerfReport.AtMost(cpu.TotalMsPerOperation, 4), cpu));
            var twoMeasured = PerOrder(twoResult, twoCpu) + $"; one request is {cpu.TotalMsPerOperation / twoCpu.TotalMsPerOperation:P0} of it)";
            Print(new PerfRow("same orders in two requests (create, then pay)", "", twoMeasured, twoCpu.TotalMsPerOperation, Verdict.NotApplicable, twoCpu));
        }

        if (options.Rows.Contains(PerfOptions.ThroughputRow))
        {
            output.WriteLine($"Closed loop, create only: {options.Workers} workers for {options.ClosedLoop.TotalSeconds:F0} s");
            var (result, cpu) = await WindowAsync(scope, "order created", () => LoadRunner.ClosedLoopAsync("create", options.Workers, options.ClosedLoop, orders.Create(users)));
            var rate = Succeeded(result) / result.Elapsed.TotalSeconds;
            Print(new PerfRow("closed-loop orders/s (creation)", "≥ 500", $"{rate:F0} orders/s (p50 {result.Percentile(50):F0} ms, p99 {result.Percentile(99):F0} ms, {result.Errors} errors; CPU {cpu.TotalMsPerOperation:F2} ms per creation)",
                rate, Off(PerfReport.AtLeast(rate, 500)), cpu));
        }

        var mixMemory = new List<(double Rss, double Pss)>();
        if (options.Rows.Contains(PerfOptions.MixRow))
        {
            var mixOptions = new MixOptions { Rate = options.MixRate, Duration = options.MixDuration, Warmup = TimeSpan.FromSeconds(5), ReportDirectory = Path.Combine(options.ReportDirectory, "perf-mix") };
            var (mix, cpu) = await MixWindowAsync(scope, mixOptions, target, notes, cancellationToken);
            mixMemory.Add((mix.ServicesTotalRssMiB, mix.ServicesTotalPssMiB));
            var errorRate = mix.Total.Requests == 0 ? 1 : (double)mix.Total.Errors / mix.Total.Requests;
            Print(new PerfRow($"mix at {options.MixRate:F0} req/s{(dashboardOn ? " with the dashboard on" : "")}, p99", "≤ 50 ms (dashboard on, 5 runs of 5)",
                $"{mix.Total.P99Ms:F1} ms (p50 {mix.Total.P50Ms:F1} ms, errors {errorRate:P2}; CPU {cpu.TotalMsPerOperation:F2} ms per request)",
                mix.Total.P99Ms, On(PerfReport.AtMost(mix.Total.P99Ms, 50)), cpu,
                (dashboardOn ? "One run: the target asks for 5 runs out of 5 (`--rows mix`, run 5 times). " : "") + SlowestOperations(mix)));
        }

        if (options.Rows.Contains(PerfOptions.StepRow))
        {
            var stepOptions = new MixOptions
            {
                Step = true, StepStart = options.StepStart, StepIncrement = options.StepIncrement, StepDuration = options.StepDuration,
                Warmup = TimeSpan.FromSeconds(5), ReportDirectory = Path.Combine(options.ReportDirectory, "perf-step"),
            };
            var (mix, cpu) = await MixWindowAsync(scope, stepOptions, target, notes, cancellationToken);
            mixMemory.Add((mix.ServicesTotalRssMiB, mix.ServicesTotalPssMiB));
            var sustainable = mix.SustainableRate ?? 0;
            Print(new PerfRow("mix at p99 ≤ 50 ms and errors ≤ 0.1 % (step mode)", "≥ 1,000 req/s",
                $"{sustainable:F0} req/s within the bounds ({string.Join(", ", mix.Steps.Select(s => $"{s.TargetRate:F0}/s: p99 {s.P99Ms:F0} ms{(s.WithinBounds ? "" : " over")}, disk max {s.DiskFlushes.MaxMs:F0} ms"))})",
                sustainable, Off(PerfReport.AtLeast(sustainable, 1000)), cpu, DiskFlushes: mix.DiskFlushes, Steps: mix.Steps));
        }

        if (mixMemory.Count > 0)
        {
            var rss = mixMemory.Max(m => m.Rss);
            var pss = mixMemory.Max(m => m.Pss);
            var verdict = PerfReport.AtMost(rss, 1000) == Verdict.Pass && PerfReport.AtMost(pss, 600) == Verdict.Pass ? Verdict.Pass : Verdict.Fail;
            Print(new PerfRow("services' summed RSS under the mix (PSS)", "≤ 1,000 MiB (PSS ≤ 600 MiB)", $"{rss:F0} MiB (PSS {pss:F0} MiB), the most sampled (RSS once a second, PSS every {ResourceSampler.PssEvery} s)",
                rss, Off(verdict), null, "The service processes (gateway, user-api, product-api, order-api, notifier, basket-api, webapp; replicas summed); PSS counts shared pages once."));
        }

        return new PerfReport(started, mode, dashboardOn, rows, notes, spanBreakdown);
    }

    private static int Succeeded(LoadResult result) => result.Requests - result.Errors;

    /// <summary>
    /// Which operations make the mix's p99: the four with the highest p99, with their share of the requests. A pay
    /// includes the simulated provider's own wait (Orders:Payment:Latency, 20 ms by default).
    /// </summary>
    private static string SlowestOperations(MixReport mix) =>
        "p99 by operation, slowest first: " + string.Join(", ", mix.Endpoints.OrderByDescending(e => e.P99Ms).Take(4)
            .Select(e => $"{e.Operation} {e.P99Ms:F1} ms ({(double)e.Requests / Math.Max(1, mix.Total.Requests):P0} of requests)")) + ".";

    /// <summary>Runs a load and accounts the system's CPU over it plus a short tail, in which the pipeline finishes its events.</summary>
    private static async Task<(LoadResult Result, CpuBreakdown Cpu)> WindowAsync(SystemScope scope, string operation, Func<Task<LoadResult>> load)
    {
        var before = CpuSnapshot.Take(scope);
        var result = await load();
        await Task.Delay(TimeSpan.FromSeconds(2));
        return (result, CpuBreakdown.Between(before, CpuSnapshot.Take(scope, withMemory: true), Succeeded(result), operation));
    }

    private async Task<(MixReport Report, CpuBreakdown Cpu)> MixWindowAsync(SystemScope scope, MixOptions mixOptions, Uri target, List<string> notes,
        CancellationToken cancellationToken)
    {
        CpuSnapshot? before = null, after = null;
        var runner = new MixRunner(mixOptions, output, scope)
        {
            MeasuredPhase = starting => { if (starting) before = CpuSnapshot.Take(scope); else after = CpuSnapshot.Take(scope, withMemory: true); },
        };
        var (report, _) = await runner.RunAsync(target, notes, cancellationToken);
        var requests = report.Total.Requests - report.Total.Errors;
        var snapshotBefore = before ?? throw new InvalidOperationException("The mix ended before its measured phase.");
        return (report, CpuBreakdown.Between(snapshotBefore, after ?? CpuSnapshot.Take(scope, withMemory: true), requests, "request (mix)"));
    }
}

/// <summary>Orders as a customer places them through the gateway: placed and paid in one request, or created, then paid.</summary>
public sealed class OrderFlow(HttpClient http, Catalog catalog)
{
    /// <returns>The order id, or null with the status when creation failed.</returns>
    public async Task<(string? OrderId, string Status)> CreateAsync(VirtualUser user, CancellationToken cancellationToken)
    {
        using var request = await MixOperations.CreateOrderRequestAsync(http, user, catalog, Random.Shared, cancellationToken);
        using var response = await MixOperations.SendAsync(http, request, user, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created) return (null, ((int)response.StatusCode).ToString());
        var order = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return (order?["id"]?.ToString(), "201");
    }

    public async Task<(bool Ok, string Status)> PayAsync(VirtualUser user, string orderId, CancellationToken cancellationToken)
    {
        using var request = await MixOperations.PayOrderRequestAsync(http, user, orderId, cancellationToken);
        using var response = await MixOperations.SendAsync(http, request, user, cancellationToken);
        return (response.IsSuccessStatusCode, ((int)response.StatusCode).ToString());
    }

    /// <returns>Milliseconds of the create and of the pay call, and whether both succeeded.</returns>
    public async Task<(double CreateMs, double PayMs, bool Ok)> CreateAndPayOnceAsync(VirtualUser user, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var (id, _) = await CreateAsync(user, cancellationToken);
        var createMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (id is null) return (createMs, double.NaN, false);
        start = Stopwatch.GetTimestamp();
        var (paid, _) = await PayAsync(user, id, cancellationToken);
        return (createMs, Stopwatch.GetElapsedTime(start).TotalMilliseconds, paid);
    }

    public LoadRunner.Operation Create(VirtualUser[] users) => async (worker, _, ct) =>
    {
        var (id, status) = await CreateAsync(users[worker % users.Length], ct);
        return (id is not null, status);
    };

    /// <summary>Places and pays each order in one request (POST /api/orders with its payment), as the API's checkout does.</summary>
    public LoadRunner.Operation PlaceAndPay(VirtualUser[] users) => async (worker, _, ct) =>
    {
        var user = users[worker % users.Length];
        using var request = await MixOperations.CreateOrderRequestAsync(http, user, catalog, Random.Shared, ct, pay: true);
        using var response = await MixOperations.SendAsync(http, request, user, ct);
        if (response.StatusCode != HttpStatusCode.Created) return (false, ((int)response.StatusCode).ToString());
        var status = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))?["status"]?.ToString();
        return status == "paid" ? (true, "201") : (false, $"201 {status}");
    };

    /// <summary>Creates each order, then pays it with a second request (POST /api/orders/{id}/pay).</summary>
    public LoadRunner.Operation CreateAndPay(VirtualUser[] users) => async (worker, _, ct) =>
    {
        var user = users[worker % users.Length];
        var (id, status) = await CreateAsync(user, ct);
        if (id is null) return (false, $"create {status}");
        var (paid, payStatus) = await PayAsync(user, id, ct);
        return (paid, paid ? payStatus : $"pay {payStatus}");
    };
}
