namespace Shop.Tests.Infrastructure;

/// <summary>Reads Linux's process table (/proc) to find what an app started and whether it is gone.</summary>
public static class ProcessTable
{
    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat") && !IsZombie(pid);

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The process's name (its executable's, at most 15 characters), or "" once it is gone.</summary>
    public static string Name(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>The DCP servers of the apps this test process started (DCP watches its starter: <c>--monitor PID</c>).</summary>
    public static List<int> OurDcpServers() =>
        [.. AllPids().Where(pid => CommandLine(pid) is var commandLine
            && commandLine.Contains(" start-apiserver ") && commandLine.Contains($"--monitor {Environment.ProcessId} "))];

    /// <summary>Every process whose ancestry leads to one of <paramref name="roots"/>, the roots included.</summary>
    public static HashSet<int> WithDescendants(IEnumerable<int> roots)
    {
        var parents = AllPids().Select(pid => (pid, parent: ParentOf(pid))).Where(p => p.parent > 0).ToList();
        var result = new HashSet<int>(roots);
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (result.Contains(parent) && result.Add(pid)) grew = true;
            }
        } while (grew);
        return result;
    }

    /// <summary>The parent's pid, or 0 once the process is gone.</summary>
    public static int ParentOf(int pid)
    {
        try
        {
            // Field 4 of /proc/PID/stat, after the parenthesised command name (which may hold spaces).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1]);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
