using Shop.Benchmarks.Processes;

namespace Shop.Benchmarks.Mix;

/// <summary>
/// Samples CPU share and RSS of the system's service processes, and of the generator itself, once a second, and their
/// PSS every <see cref="PssEvery"/>th second. Without a scope (a target whose AppHost was not found) only the
/// generator is sampled.
/// </summary>
public sealed class ResourceSampler(SystemScope? scope)
{
    public const string GeneratorName = "generator";

    /// <summary>
    /// Reading PSS makes the kernel walk every page of the process (smaps_rollup): each second, for the seven
    /// services, that was a tenth of the generator's CPU under the mix. PSS moves slowly; RSS is read each second.
    /// </summary>
    public const int PssEvery = 5;

    private readonly List<ProcessSample> _samples = [];
    private int _recordedMoments;
    private readonly Dictionary<(int Pid, long Start), long> _lastTicks = [];

    public IReadOnlyList<ProcessSample> Samples => _samples;

    public async Task RunAsync(TimeSpan elapsedOffset, CancellationToken stop)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = clock.Elapsed;
        Sample(elapsedOffset, TimeSpan.Zero);
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(1000, stop); } catch (OperationCanceledException) { break; }
            var now = clock.Elapsed;
            Sample(elapsedOffset + now, now - last);
            last = now;
        }
    }

    private void Sample(TimeSpan at, TimeSpan interval)
    {
        var processes = scope?.Processes().Where(p => ProcessRoles.IsService(p.Role)).Select(p => (p.Stat, Name: p.Role)).ToList() ?? [];
        if (ProcStat.TryRead($"/proc/{Environment.ProcessId}/stat") is { } self) processes.Add((self, GeneratorName));
        // The first recorded moment reads PSS too, so that a run of a few seconds has it.
        var readPss = interval > TimeSpan.Zero && _recordedMoments++ % PssEvery == 0;
        lock (_samples)
        {
            foreach (var (stat, name) in processes)
            {
                var key = (stat.Pid, stat.StartTicks);
                var share = interval > TimeSpan.Zero && _lastTicks.TryGetValue(key, out var before)
                    ? (stat.OwnTicks - before) / ProcStat.TicksPerSecond / interval.TotalSeconds / Environment.ProcessorCount
                    : double.NaN;
                _lastTicks[key] = stat.OwnTicks;
                if (!double.IsNaN(share))
                {
                    _samples.Add(new ProcessSample(at.TotalSeconds, stat.Pid, name, share, MemoryStats.ReadRss(stat.Pid),
                        readPss ? MemoryStats.ReadPss(stat.Pid) : 0));
                }
            }
        }
    }
}

/// <summary>
/// One process at one moment: CPU as a share of the whole machine (all cores), resident and proportional memory (PSS 0
/// where the moment did not read it).
/// </summary>
public sealed record ProcessSample(double AtSeconds, int Pid, string Process, double CpuShare, long RssBytes, long PssBytes);
