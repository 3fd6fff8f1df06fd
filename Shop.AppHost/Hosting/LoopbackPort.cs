using System.Net;
using System.Net.Sockets;

namespace Shop.AppHost.Hosting;

internal static class LoopbackPort
{
    /// <summary>
    /// A free loopback port, chosen now so a backing process keeps one fixed port across its restarts:
    /// clients reconnect to the same address after a stop/start, with no proxy hop in between.
    /// </summary>
    public static int Allocate()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
