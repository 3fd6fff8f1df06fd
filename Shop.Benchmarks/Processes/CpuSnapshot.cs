using System.Diagnostics;

namespace Shop.Benchmarks.Processes;

/// <summary>A process's CPU counters at one moment; (Pid, StartTicks) identifies it even when a pid is reused.</summary>
/// <param name="Ticks">utime + stime + cutime + cstime: its own CPU and that of the children it reaped.</param>
public sealed record ProcessCpu(int Pid, long StartTicks, int ParentPid, string Role, long Ticks);

/// <summary>One librdkafka thread of the AppHost process (the embedded Kafka broker).</summary>
public sealed record ThreadCpu(int Tid, long StartTicks, long Ticks);

/// <summary>Resident and proportional memory of one role's processes, summed.</summary>
public sealed record RoleMemory(long RssBytes, long PssBytes);

/// <summary>The CPU counters of every process of the system (and the broker's threads) at one moment.</summary>
public sealed record CpuSnapshot(
    TimeSpan At,
    string AppHostRole,
    IReadOnlyList<ProcessCpu> Processes,
    IReadOnlyList<ThreadCpu> KafkaThreads,
    IReadOnlyDictionary<string, RoleMemory> Memory)
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <param name="withMemory">Also read RSS and PSS (smaps_rollup: a few ms per process).</param>
    public static CpuSnapshot Take(SystemScope scope, bool withMemory = false)
    {
        var processes = scope.Processes();
        var appHost = processes.FirstOrDefault(p => p.Pid == scope.AppHostPid);
        var threads = new List<ThreadCpu>();
        if (appHost is not null)
        {
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{scope.AppHostPid}/task"))
                {
                    if (ProcStat.TryRead(Path.Combine(task, "stat")) is { } stat && ProcessRoles.IsKafkaThread(stat.Comm))
                    {
                        threads.Add(new ThreadCpu(stat.Pid, stat.StartTicks, stat.OwnTicks));
                    }
                }
            }
            catch (IOException) { } // the AppHost ended
        }
        var memory = withMemory
            ? processes.GroupBy(p => p.Role).ToDictionary(g => g.Key,
                g => new RoleMemory(g.Sum(p => MemoryStats.ReadRss(p.Pid)), g.Sum(p => MemoryStats.ReadPss(p.Pid))))
            : new Dictionary<string, RoleMemory>();
        return new CpuSnapshot(Clock.Elapsed, appHost?.Role ?? ProcessRoles.AppHost,
            processes.Select(p => new ProcessCpu(p.Pid, p.Stat.StartTicks, p.Stat.ParentPid, p.Role, p.Stat.TicksWithReapedChildren)).ToList(),
            threads, memory);
    }
}
