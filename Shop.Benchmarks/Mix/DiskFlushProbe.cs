using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Shop.Benchmarks.Infrastructure;

namespace Shop.Benchmarks.Mix;

/// <summary>The probe's durable writes in one window of a run: how many, and their latency in milliseconds.</summary>
/// <param name="Stalls">Writes that took longer than <see cref="DiskFlushProbe.StallMs"/>.</param>
/// <param name="Failure">Why nothing was measured, when the probe could not write its file.</param>
public sealed record DiskFlushFigures(int Count, double P50Ms, double P99Ms, double MaxMs, int Stalls, string? Failure = null)
{
    /// <summary>The figures in one phrase, for a row or a step of the console output.</summary>
    public string Brief() => Count == 0
        ? $"disk: no durable write measured{(Failure is null ? "" : $" ({Failure})")}"
        : string.Create(CultureInfo.InvariantCulture,
            $"disk: durable 8 KiB write p99 {P99Ms:F1} ms, max {MaxMs:F0} ms, {Stalls} over {DiskFlushProbe.StallMs:F0} ms");
}

/// <summary>
/// What a durable write costs on this machine's disk while the load runs: every <see cref="Interval"/>, one 8 KiB
/// block overwritten in place and flushed with <c>fdatasync</c>, as PostgreSQL writes and flushes its WAL before it
/// acknowledges a commit (<c>synchronous_commit</c> on, Linux's default <c>wal_sync_method</c>). Every order and
/// payment waits for such flushes, so a stall of the disk is in their latency whatever the cores do: the figures of a
/// window tell a step that failed on the disk from one that failed on the CPU. The file is in the temp folder
/// (<see cref="Path.GetTempPath"/>), which is on the disk of the local PostgreSQL only when both are on one disk, as on
/// this machine; the probe adds about 20 flushes per second to it.
/// </summary>
/// <remarks>Linux only (<c>fdatasync</c>); elsewhere nothing is measured and the figures say why.</remarks>
public sealed partial class DiskFlushProbe : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>A write slower than this (ms) counts as a stall: it alone is the whole p99 bound of the step mode.</summary>
    public const double StallMs = 50;

    private const int BlockSize = 8192;
    private const int Blocks = 128;

    private readonly List<(double AtSeconds, double LatencyMs)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private SafeFileHandle? _file;
    private Thread? _thread;
    private Stopwatch? _clock;
    private string? _failure;
    private int _disposed;

    /// <summary>The probe's file, in the temp folder; deleted when the probe is disposed.</summary>
    public string FilePath { get; } = Path.Combine(Path.GetTempPath(), $"shop-bench-flush-{Guid.NewGuid():N}.bin");

    /// <summary>Creates and fills the probe's file (1 MiB, flushed once), so that no measured write allocates blocks.</summary>
    public DiskFlushProbe()
    {
        try
        {
            _file = File.OpenHandle(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.DeleteOnClose);
            var block = new byte[BlockSize];
            for (var i = 0; i < Blocks; i++) RandomAccess.Write(_file, block, (long)i * BlockSize);
            Flush(_file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EntryPointNotFoundException or DllNotFoundException)
        {
            _failure = ex.Message;
            _file?.Dispose();
            _file = null;
        }
    }

    /// <summary>Starts the timed writes; <paramref name="clock"/> is the run's clock, in whose seconds windows are given.</summary>
    public void Start(Stopwatch clock)
    {
        _clock = clock;
        if (_file is null) return;
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
            Percentiles.NearestRank(latencies, 100, 0), latencies.Count(l => l > StallMs), latencies.Count == 0 ? Volatile.Read(ref _failure) : null);
    }

    /// <summary>Stops the writes (waiting for the one in progress, however long it stalls) and deletes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _thread?.Join();
        _file?.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        var block = new byte[BlockSize];
        try
        {
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                var started = Stopwatch.GetTimestamp();
                RandomAccess.Write(_file!, block, (long)(i % Blocks) * BlockSize);
                Flush(_file!);
                var latencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (_samples) _samples.Add((_clock!.Elapsed.TotalSeconds, latencyMs));
                _stop.Token.WaitHandle.WaitOne(Interval);
            }
        }
        catch (IOException ex)
        {
            Volatile.Write(ref _failure, ex.Message);
        }
    }

    private static void Flush(SafeFileHandle file)
    {
        if (fdatasync((int)file.DangerousGetHandle()) != 0)
        {
            throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);
}
