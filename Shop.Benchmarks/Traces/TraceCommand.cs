using System.Globalization;
using Shop.Benchmarks.Infrastructure;
using Shop.Benchmarks.Mix;
using Shop.Benchmarks.Processes;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Benchmarks.Traces;

/// <summary>`./shop bench trace`: only the span breakdown of idle orders (see <see cref="OrderTrace"/>).</summary>
public static class TraceCommand
{
    /// <summary>
    /// Unmeasured orders first, so the traced ones meet compiled code and warm pools; with the 20 traced ones, 70
    /// requests: under `./shop run`'s default limit of 100 a minute per caller.
    /// </summary>
    private const int WarmupOrders = 15;

    public const string Usage = """
        ./shop bench trace [options]    where the milliseconds of an idle order go: creates and pays orders one at a
                                        time, each under its own trace, and prints their spans (gateway, handlers,
                                        gRPC, SQL, Kafka, the notifier) as a tree, read from Aspire's dashboard:
                                        per span the median start and duration and the 90th-percentile duration
                                        (after 15 unmeasured orders; at least 13 s of polling: Redis spans come late)

        Options:
          --target URL            a running system (e.g. `./shop run`) through its gateway; without it the bench starts
                                  the system (Release) with the dashboard
          --apphost-pid PID       with --target, when several Shop.AppHost processes run
          --orders N              orders traced (default 20; 1 prints that order's own tree)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (!BenchCommand.TryParse(() => Parse(args), Usage, output, out var parsed)) return 2;
        var (target, appHostPid, traced) = parsed;

        ShopApp? app = null;
        try
        {
            SystemScope scope;
            if (target is null)
            {
                app = await BenchCommand.StartSystemAsync(dashboard: true, output);
                target = app.GetEndpoint(ShopResources.Gateway);
                scope = SystemScope.InThisProcess();
            }
            else if (BenchCommand.TryFindRunning(appHostPid, output.WriteLine) is { } running)
            {
                scope = running;
            }
            else
            {
                return 2;
            }

            using var http = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
            var user = await VirtualUser.RegisterAsync(http, Guid.NewGuid().ToString("N")[..8], 0, cancellationToken);
            var catalog = await Catalog.LoadAsync(http, [user], cancellationToken);
            var orders = new Perf.OrderFlow(http, catalog);
            for (var i = 0; i < WarmupOrders; i++) await orders.CreateAndPayOnceAsync(user, cancellationToken);

            var lines = await OrderTrace.BreakdownAsync(target, scope, user, catalog, traced, cancellationToken);
            foreach (var line in lines) output.WriteLine(line);
            return lines.Count > 1 ? 0 : 1;
        }
        finally
        {
            if (app is not null) await app.DisposeAsync();
        }
    }

    private static (Uri? Target, int? AppHostPid, int Orders) Parse(string[] args)
    {
        Uri? target = null;
        int? appHostPid = null;
        var orders = OrderTrace.DefaultOrders;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--target": target = new Uri(Next()); break;
                case "--apphost-pid": appHostPid = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--orders": orders = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'");
            }
        }
        return orders > 0 ? (target, appHostPid, orders) : throw new ArgumentException("--orders must be positive");
    }
}
