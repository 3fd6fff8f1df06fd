using System.Net;
using System.Net.Sockets;

namespace Shop.AppHost.Hosting;

internal static class LoopbackPort
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A free loopback port, chosen now so a backing process keeps one fixed port across its restarts:
    /// clients reconnect to the same address after a stop/start, with no proxy hop in between.
    /// </summary>
    /// <remarks>
    /// Not the kernel's bind-to-0 choice: that comes from the ephemeral range, so two calls can return the same port
    /// (seen: PostgreSQL and Redis given one port), and any outgoing connection may take it before the server binds.
    /// Ports above Linux's ephemeral range are given to no connection and lie outside the range Aspire allocates
    /// service ports from (10000–32767); each is handed out once per process.
    /// </remarks>
    public static int Allocate()
    {
        var (lowest, highest) = CandidateRange();
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(lowest, highest + 1);
                if (!HandedOut.Contains(port) && IsFree(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }
        throw new InvalidOperationException($"No free loopback port between {lowest} and {highest}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Lowest, int Highest) CandidateRange()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        var bounds = File.Exists(RangeFile)
            ? File.ReadAllText(RangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            : [];
        var ephemeralEnd = bounds.Length == 2 && int.TryParse(bounds[1], out var end) ? end : 60999;
        // A machine whose ephemeral range reaches the top: the stretch just below it. Aspire allocates from there
        // too, but never a port the model fixes, as these endpoints do.
        return ephemeralEnd <= 64535 ? (ephemeralEnd + 1, 65535) : (32768 - 2000, 32767);
    }
}
