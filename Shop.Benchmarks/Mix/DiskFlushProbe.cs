using System.Diagnostics;
using Shop.Benchmarks.Infrastructure;

namespace Shop.Benchmarks.Mix;

/// <summary>The probe's durable writes in one window of a run: how many, and their latency in milliseconds.</summary>
/// <param name="Stalls">Writes that took longer than <see cref="DiskFlushProbe.StallMs"/>.</param>
public sealed record DiskFlushFigures(int Count, double P50Ms, double P99Ms, double MaxMs, int Stalls)
{
    /// <summary>The figures in one phrase, for a row or a step of the console output.</summary>
    public string Brief() => Count == 0
        ? "disk: no durable write measured"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"disk: durable 8 KiB write p99 {P99Ms:F1} ms, max {MaxMs:F0} ms, {Stalls} over {DiskFlushProbe.StallMs:F0} ms");
}

/// <summary>
/// What a durable write costs on this machine's disk while the load runs: every <see cref="Interval"/>, one 8 KiB
/// block written through to the device (<see cref="FileOptions.WriteThrough"/>, O_SYNC: the write returns once the
/// device holds it), the way PostgreSQL flushes its WAL before it acknowledges a commit (synchronous_commit stays on).
/// Every order and payment waits for such flushes, so a stall of the disk is in their latency whatever the cores do:
/// the figures of a window tell a step that failed on the disk from one that failed on the CPU. The file is in the
/// temp folder, on the disk of the bench's local PostgreSQL; the probe adds about 20 writes per second to it.
/// </summary>
public sealed class DiskFlushProbe : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>A write slower than this (ms) counts as a stall: it alone is the whole p99 bound of the step mode.</summary>
    public const double StallMs = 50;

    private const int BlockSize = 8192;
    private const int Blocks = 128;

    private readonly Stopwatch _clock;
    private readonly List<(double AtSeconds, double LatencyMs)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    /// <param name="clock">The run's clock: windows are given in its seconds.</param>
    public DiskFlushProbe(Stopwatch clock)
    {
        _clock = clock;
        // A thread of its own: a write that stalls blocks it, and must not block a thread-pool thread the load needs.
        _thread = new Thread(Run) { IsBackground = true, Name = "disk flush probe" };
        _thread.Start();
    }

    /// <summary>The writes that finished in [<paramref name="fromSeconds"/>, <paramref name="toSeconds"/>) of the run's clock.</summary>
    public DiskFlushFigures Summarise(double fromSeconds, double toSeconds)
    {
        List<double> latencies;
        lock (_samples)
        {
            latencies = _samples.Where(s => s.AtSeconds >= fromSeconds && s.AtSeconds < toSeconds).Select(s => s.LatencyMs).Order().ToList();
        }
        return new DiskFlushFigures(latencies.Count, Percentiles.NearestRank(latencies, 50, 0), Percentiles.NearestRank(latencies, 99, 0),
            Percentiles.NearestRank(latencies, 100, 0), latencies.Count(l => l > StallMs));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        var path = Path.Combine(Path.GetTempPath(), $"shop-bench-flush-{Guid.NewGuid():N}.bin");
        try
        {
            using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                FileOptions.WriteThrough | FileOptions.DeleteOnClose);
            var block = new byte[BlockSize];
            // Written once before measuring, so that no measured write allocates blocks (PostgreSQL's WAL segments are zero-filled too).
            for (var i = 0; i < Blocks; i++) RandomAccess.Write(file, block, (long)i * BlockSize);
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                var started = Stopwatch.GetTimestamp();
                RandomAccess.Write(file, block, (long)(i % Blocks) * BlockSize);
                var latencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (_samples) _samples.Add((_clock.Elapsed.TotalSeconds, latencyMs));
                _stop.Token.WaitHandle.WaitOne(Interval);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing measured: the figures say so with a count of 0.
        }
    }
}
