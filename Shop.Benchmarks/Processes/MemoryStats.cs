namespace Shop.Benchmarks.Processes;

/// <summary>Resident (RSS) and proportional (PSS) memory of a process, from /proc.</summary>
public static class MemoryStats
{
    public static long ReadRss(int pid) => ReadKiB($"/proc/{pid}/status", "VmRSS:") * 1024;

    /// <summary>
    /// Proportional set size: the process's private pages plus its share of pages it shares with others (the .NET
    /// framework's files mapped by every service). Summed over processes it counts shared pages once, unlike RSS.
    /// </summary>
    public static long ReadPss(int pid) => ReadKiB($"/proc/{pid}/smaps_rollup", "Pss:") * 1024;

    /// <summary>A "Name:  123 kB" line of a /proc file; 0 when the process is gone or the file unreadable.</summary>
    private static long ReadKiB(string path, string prefix)
    {
        try
        {
            var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
