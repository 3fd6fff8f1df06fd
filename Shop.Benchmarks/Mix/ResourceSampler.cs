using Shop.Benchmarks.Infrastructure;

namespace Shop.Benchmarks.Mix;

/// <summary>Samples CPU share and RSS of every Shop service process, and of the generator itself, once a second.</summary>
public sealed class ResourceSampler
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly List<ProcessSample> _samples = [];
    private readonly Dictionary<int, double> _lastCpuSeconds = [];

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
        var processes = ProcessStats.ShopServices().Select(p => (p.Pid, p.Name, p.RssBytes, Pss: ProcessStats.ReadPss(p.Pid))).ToList();
        processes.Add((Environment.ProcessId, "generator", ProcessStats.ReadRss(Environment.ProcessId), ProcessStats.ReadPss(Environment.ProcessId)));
        lock (_samples)
        {
            foreach (var (pid, name, rss, pss) in processes)
            {
                var cpu = CpuSeconds(pid);
                var share = interval > TimeSpan.Zero && _lastCpuSeconds.TryGetValue(pid, out var before)
                    ? (cpu - before) / interval.TotalSeconds / Environment.ProcessorCount
                    : double.NaN;
                _lastCpuSeconds[pid] = cpu;
                if (!double.IsNaN(share)) _samples.Add(new ProcessSample(at.TotalSeconds, pid, name, share, rss, pss));
            }
        }
    }

    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond; // utime + stime
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

/// <summary>One process at one moment: CPU as a share of the whole machine (all cores), resident and proportional memory.</summary>
public sealed record ProcessSample(double AtSeconds, int Pid, string Process, double CpuShare, long RssBytes, long PssBytes);
