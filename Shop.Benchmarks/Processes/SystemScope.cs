namespace Shop.Benchmarks.Processes;

/// <summary>
/// Which processes make up one running Shop system: the process hosting its AppHost, the DCP processes that AppHost
/// started (DCP detaches from it and watches it with --monitor &lt;pid&gt;), and every descendant of those (services,
/// PostgreSQL and its backends, Redis, the dashboard). Another system on the same machine (a test run) is not counted.
/// </summary>
/// <param name="AppHostPid">The process running DistributedApplication: this bench when it started the system itself.</param>
public sealed record SystemScope(int AppHostPid)
{
    public bool AppHostInGenerator => AppHostPid == Environment.ProcessId;

    /// <summary>The system this process started through Aspire.Hosting.Testing.</summary>
    public static SystemScope InThisProcess() => new(Environment.ProcessId);

    /// <summary>
    /// A system started by `./shop run` or `dotnet run --project Shop.AppHost`: its Shop.AppHost process, found by name.
    /// </summary>
    /// <exception cref="InvalidOperationException">None runs, or several do and <paramref name="appHostPid"/> does not choose one.</exception>
    public static SystemScope FindRunning(int? appHostPid)
    {
        if (appHostPid is { } pid) return new SystemScope(pid);
        var candidates = ProcessTable.Read().Where(p => p.Argv.Take(2).Any(a =>
            Path.GetFileName(a) is "Shop.AppHost" or "Shop.AppHost.dll")).Select(p => p.Pid).ToList();
        return candidates switch
        {
            [var only] => new SystemScope(only),
            [] => throw new InvalidOperationException("No Shop.AppHost process runs on this machine: start the system with ./shop run, or pass --apphost-pid."),
            _ => throw new InvalidOperationException($"Several Shop.AppHost processes run ({string.Join(", ", candidates)}): choose one with --apphost-pid."),
        };
    }

    /// <summary>The system's processes now, each with its role; the generator is always included.</summary>
    public IReadOnlyList<SystemProcess> Processes()
    {
        var table = ProcessTable.Read();
        var members = new HashSet<int> { AppHostPid };
        var monitorArg = AppHostPid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var p in table)
        {
            var monitor = Array.IndexOf(p.Argv, "--monitor");
            if (p.Stat.Comm.StartsWith("dcp", StringComparison.Ordinal) && monitor >= 0 && monitor + 1 < p.Argv.Length && p.Argv[monitor + 1] == monitorArg)
            {
                members.Add(p.Pid);
            }
        }
        // Descendants, by parent pid, until no new member appears.
        for (var added = true; added;)
        {
            added = false;
            foreach (var p in table)
            {
                if (!members.Contains(p.Pid) && members.Contains(p.Stat.ParentPid)) added |= members.Add(p.Pid);
            }
        }
        members.Add(Environment.ProcessId);
        return table.Where(p => members.Contains(p.Pid)).Select(p => new SystemProcess(p.Stat, p.Argv,
            ProcessRoles.Classify(p.Stat.Comm, p.Argv, isAppHost: p.Pid == AppHostPid, isGenerator: p.Pid == Environment.ProcessId))).ToList();
    }
}

/// <summary>One process of the system at one moment.</summary>
public sealed record SystemProcess(ProcStat Stat, string[] Argv, string Role)
{
    public int Pid => Stat.Pid;
}

/// <summary>Every process of the machine as /proc shows it now (the ones that vanish while it is read are left out).</summary>
public static class ProcessTable
{
    public static IReadOnlyList<(int Pid, ProcStat Stat, string[] Argv)> Read()
    {
        var list = new List<(int, ProcStat, string[])>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            var stat = ProcStat.TryRead(Path.Combine(dir, "stat"));
            if (stat is null) continue;
            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).TrimEnd('\0').Split('\0');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            list.Add((pid, stat, argv));
        }
        return list;
    }
}
