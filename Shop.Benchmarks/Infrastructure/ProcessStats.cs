namespace Shop.Benchmarks.Infrastructure;

/// <summary>Resident memory of the Shop service processes, read from /proc.</summary>
public static class ProcessStats
{
    public static IReadOnlyList<(int Pid, string Name, long RssBytes)> ShopServices()
    {
        var list = new List<(int, string, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0')[0];
                var name = Path.GetFileName(cmdline);
                if (!name.StartsWith("Shop.", StringComparison.Ordinal) || name == "Shop.AppHost" || name == "Shop.Benchmarks") continue;
                list.Add((pid, name, ReadRss(pid)));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return list;
    }

    public static long ReadRss(int pid) => ReadKiB($"/proc/{pid}/status", "VmRSS:") * 1024;

    /// <summary>
    /// Proportional set size: the process's private pages plus its share of pages it shares with others (the .NET
    /// framework's files mapped by every service). Summed over processes it counts shared pages once, unlike RSS.
    /// </summary>
    public static long ReadPss(int pid)
    {
        try
        {
            return ReadKiB($"/proc/{pid}/smaps_rollup", "Pss:") * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A "Name:  123 kB" line of a /proc file.</summary>
    private static long ReadKiB(string path, string prefix)
    {
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    public static string Describe()
    {
        var services = ShopServices();
        var total = services.Sum(s => s.RssBytes);
        return string.Join(Environment.NewLine, services.OrderBy(s => s.Name).Select(s => $"  {s.Name,-20} pid {s.Pid,7}  RSS {s.RssBytes / 1048576.0,7:F1} MiB"))
            + $"{Environment.NewLine}  total services RSS {total / 1048576.0:F1} MiB";
    }
}
