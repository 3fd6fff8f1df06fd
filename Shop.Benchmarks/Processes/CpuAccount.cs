namespace Shop.Benchmarks.Processes;

/// <summary>One role's share of a measured window.</summary>
/// <param name="Processes">Processes of the role alive at the window's end (replicas, PostgreSQL backends).</param>
/// <param name="CpuMs">CPU used in the window, milliseconds (user + system, all threads, reaped children included).</param>
/// <param name="MsPerOperation">CpuMs / operations completed in the window; NaN without operations.</param>
/// <param name="Cores">CpuMs / window length: 1.0 is one core busy all the time.</param>
/// <param name="RssMiB">Resident memory summed over the role's processes at the window's end (0 when not read).</param>
/// <param name="PssMiB">Proportional memory summed likewise: shared pages counted once across the system.</param>
public sealed record RoleCpu(string Role, int Processes, double CpuMs, double MsPerOperation, double Cores, double RssMiB, double PssMiB);

/// <summary>CPU of every process of the system over one window, by role, per operation and in cores.</summary>
public sealed record CpuBreakdown(double Seconds, int Operations, string OperationName, IReadOnlyList<RoleCpu> Roles)
{
    public double TotalCpuMs => Roles.Sum(r => r.CpuMs);

    public double TotalMsPerOperation => Operations > 0 ? TotalCpuMs / Operations : double.NaN;

    /// <summary>Everything but the generator's own process (which also hosts the AppHost when the bench started the system).</summary>
    public double SystemMsPerOperation => Operations > 0
        ? Roles.Where(r => r.Role is not (ProcessRoles.Generator or ProcessRoles.GeneratorWithAppHost)).Sum(r => r.CpuMs) / Operations
        : double.NaN;

    public double TotalCores => Seconds > 0 ? TotalCpuMs / 1000 / Seconds : double.NaN;

    /// <summary>
    /// The CPU each role used between two snapshots. A process alive at both counts its increase; one born in the
    /// window counts all it used; one that ended in the window was reaped by its parent, whose cutime/cstime took
    /// its whole lifetime, so the part it had used before the window is taken back (when that parent is still there).
    /// The AppHost process's librdkafka threads (the embedded broker) are moved to their own role.
    /// </summary>
    public static CpuBreakdown Between(CpuSnapshot start, CpuSnapshot end, int operations, string operationName)
    {
        var seconds = (end.At - start.At).TotalSeconds;
        var ticks = new Dictionary<string, double>();
        void Add(string role, double value) => ticks[role] = ticks.GetValueOrDefault(role) + value;

        var before = start.Processes.ToDictionary(p => (p.Pid, p.StartTicks));
        var after = end.Processes.ToDictionary(p => (p.Pid, p.StartTicks));
        var alivePids = end.Processes.Select(p => p.Pid).ToHashSet();
        foreach (var p in end.Processes)
        {
            Add(p.Role, p.Ticks - (before.TryGetValue((p.Pid, p.StartTicks), out var was) ? was.Ticks : 0));
        }
        foreach (var p in start.Processes.Where(p => !after.ContainsKey((p.Pid, p.StartTicks)) && alivePids.Contains(p.ParentPid)))
        {
            Add(p.Role, -p.Ticks);
        }

        var threadsBefore = start.KafkaThreads.ToDictionary(t => (t.Tid, t.StartTicks), t => t.Ticks);
        var kafka = end.KafkaThreads.Sum(t => t.Ticks - threadsBefore.GetValueOrDefault((t.Tid, t.StartTicks)));
        if (kafka > 0 && ticks.ContainsKey(end.AppHostRole))
        {
            Add(end.AppHostRole, -kafka);
            Add(ProcessRoles.KafkaBroker, kafka);
        }

        var counts = end.Processes.GroupBy(p => p.Role).ToDictionary(g => g.Key, g => g.Count());
        var roles = ticks.Select(pair =>
        {
            var cpuMs = Math.Max(0, pair.Value) / ProcStat.TicksPerSecond * 1000;
            var memory = end.Memory.GetValueOrDefault(pair.Key);
            return new RoleCpu(pair.Key,
                pair.Key == ProcessRoles.KafkaBroker ? 0 : counts.GetValueOrDefault(pair.Key),
                cpuMs,
                operations > 0 ? cpuMs / operations : double.NaN,
                seconds > 0 ? cpuMs / 1000 / seconds : double.NaN,
                (memory?.RssBytes ?? 0) / 1048576.0,
                (memory?.PssBytes ?? 0) / 1048576.0);
        }).OrderByDescending(r => r.CpuMs).ThenBy(r => r.Role, StringComparer.Ordinal).ToList();
        return new CpuBreakdown(seconds, operations, operationName, roles);
    }
}
