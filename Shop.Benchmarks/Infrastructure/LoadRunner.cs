using System.Collections.Concurrent;
using System.Diagnostics;

namespace Shop.Benchmarks.Infrastructure;

/// <summary>
/// Drives one request function either closed-loop (N workers back to back: the maximum throughput) or
/// open-loop (a fixed arrival rate, latency measured from the scheduled start so a slow server cannot hide
/// its queueing). Bounded in time; loopback targets only.
/// </summary>
public static class LoadRunner
{
    /// <summary>Returns the status text ("200", "409", "exception") and whether it counts as a success.</summary>
    public delegate Task<(bool Success, string Status)> Operation(int worker, int iteration, CancellationToken cancellationToken);

    public static async Task<LoadResult> ClosedLoopAsync(string name, int workers, TimeSpan duration, Operation operation, TimeSpan? warmup = null)
    {
        if (warmup is { } w) await RunWorkersAsync(workers, w, operation);
        var (latencies, statuses, errors, elapsed) = await RunWorkersAsync(workers, duration, operation);
        return new LoadResult(name, latencies.Length, errors, elapsed, latencies, statuses);
    }

    public static async Task<LoadResult> OpenLoopAsync(string name, double ratePerSecond, TimeSpan duration, Operation operation)
    {
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var statuses = new ConcurrentDictionary<string, int>();
        var errors = 0;
        var tasks = new Task[total];
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));

        for (var i = 0; i < total; i++)
        {
            var scheduled = TimeSpan.FromSeconds(i / ratePerSecond);
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                var (ok, status) = await SafeAsync(operation, index % 64, index, cts.Token);
                latencies[index] = (clock.Elapsed - scheduled).TotalMilliseconds;
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                }
            });
        }
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        return new LoadResult(name, total, errors, elapsed, latencies, statuses);
    }

    private static async Task<(double[] Latencies, IReadOnlyDictionary<string, int> Statuses, int Errors, TimeSpan Elapsed)> RunWorkersAsync(
        int workers, TimeSpan duration, Operation operation)
    {
        var perWorker = new List<double>[workers];
        var statuses = new ConcurrentDictionary<string, int>();
        var errors = 0;
        using var cts = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var latencies = perWorker[worker] = new List<double>(4096);
            for (var iteration = 0; !cts.IsCancellationRequested; iteration++)
            {
                var start = Stopwatch.GetTimestamp();
                var (ok, status) = await SafeAsync(operation, worker, iteration, CancellationToken.None);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                }
            }
        })));

        var all = perWorker.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return (all, statuses, errors, clock.Elapsed);
    }

    private static async Task<(bool, string)> SafeAsync(Operation operation, int worker, int iteration, CancellationToken cancellationToken)
    {
        try
        {
            return await operation(worker, iteration, cancellationToken);
        }
        catch (Exception ex)
        {
            return (false, ex.GetType().Name);
        }
    }

    /// <summary>Status of an HTTP response as an operation outcome.</summary>
    public static (bool, string) Outcome(HttpResponseMessage response) =>
        (response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.NotModified, ((int)response.StatusCode).ToString());
}
