using System.Globalization;

namespace Shop.Benchmarks.Processes;

/// <summary>
/// The fields of a /proc/&lt;pid&gt;/stat (or /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat) line the bench reads. CPU times are in
/// clock ticks (USER_HZ, 100 per second on Linux); <see cref="StartTicks"/> (ticks after boot) tells a reused pid apart.
/// </summary>
public sealed record ProcStat(int Pid, string Comm, int ParentPid, long UserTicks, long SystemTicks,
    long ChildrenUserTicks, long ChildrenSystemTicks, long StartTicks)
{
    /// <summary>USER_HZ: the unit of every CPU time in /proc (proc(5)).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>CPU the process (all its threads) used itself.</summary>
    public long OwnTicks => UserTicks + SystemTicks;

    /// <summary>Its own CPU plus that of the children it has reaped (cutime + cstime): a PostgreSQL backend that ended is here.</summary>
    public long TicksWithReapedChildren => OwnTicks + ChildrenUserTicks + ChildrenSystemTicks;

    /// <summary>Parses one stat line (proc(5)); the command name may hold spaces and parentheses, so it ends at the last ')'.</summary>
    /// <exception cref="FormatException">The line is not a stat line.</exception>
    public static ProcStat Parse(string line)
    {
        var open = line.IndexOf('(');
        var close = line.LastIndexOf(')');
        if (open < 1 || close < open || close + 2 > line.Length) throw new FormatException($"Not a /proc stat line: '{line}'");
        // After ") ": field 3 (state) is index 0, so field N is index N - 3.
        var fields = line[(close + 2)..].Split(' ');
        if (fields.Length < 20) throw new FormatException($"Not a /proc stat line: '{line}'");
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcStat(
            int.Parse(line[..open].Trim(), CultureInfo.InvariantCulture),
            line[(open + 1)..close],
            (int)Field(4),
            Field(14), Field(15), Field(16), Field(17), Field(22));
    }

    /// <returns>Null when the process (or thread) is gone or unreadable.</returns>
    public static ProcStat? TryRead(string statPath)
    {
        try
        {
            return Parse(File.ReadAllText(statPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
