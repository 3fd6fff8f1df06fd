using Shop.ServiceDefaults.Configuration;

namespace Shop.Benchmarks.Processes;

/// <summary>
/// Names each process of the system by its role, the way the performance table speaks of them: a service by its
/// Aspire resource name (replicas share it), PostgreSQL (postmaster and every backend), Redis, DCP, the dashboard,
/// the AppHost and the generator.
/// </summary>
public static class ProcessRoles
{
    public const string Generator = "generator";
    public const string AppHost = "AppHost";
    public const string GeneratorWithAppHost = "generator + AppHost";
    public const string KafkaBroker = "kafka broker (AppHost)";
    public const string PostgreSql = "PostgreSQL";
    public const string Redis = "Redis";
    public const string Dcp = "DCP";
    public const string Dashboard = "dashboard";
    public const string DotnetRunWrapper = "dotnet run wrappers";

    /// <summary>Executable (apphost or .dll) names of the services → their resource names in the AppHost.</summary>
    public static readonly IReadOnlyDictionary<string, string> Services = new Dictionary<string, string>
    {
        ["Shop.Gateway"] = ShopResources.Gateway,
        ["Shop.UserApi"] = ShopResources.UserApi,
        ["Shop.ProductApi"] = ShopResources.ProductApi,
        ["Shop.OrderApi"] = ShopResources.OrderApi,
        ["Shop.Notifier"] = ShopResources.Notifier,
        ["Shop.BasketApi"] = ShopResources.BasketApi,
        ["Shop.WebApp"] = ShopResources.WebApp,
    };

    public static bool IsService(string role) => Services.Values.Contains(role);

    /// <summary>librdkafka names its threads "rdk:main", "rdk:broker1", …; in the AppHost they run the embedded broker.</summary>
    public static bool IsKafkaThread(string threadComm) => threadComm.StartsWith("rdk:", StringComparison.Ordinal);

    /// <param name="comm">The kernel's command name (/proc/pid/comm, at most 15 characters).</param>
    /// <param name="argv">/proc/pid/cmdline split at NUL (PostgreSQL rewrites its backends' titles into one string).</param>
    /// <param name="isAppHost">The process hosts the AppHost (DistributedApplication).</param>
    /// <param name="isGenerator">The process is this bench.</param>
    public static string Classify(string comm, IReadOnlyList<string> argv, bool isAppHost, bool isGenerator)
    {
        if (isAppHost) return isGenerator ? GeneratorWithAppHost : AppHost;
        if (isGenerator) return Generator;

        var program = argv.Count > 0 ? FileName(argv[0]) : comm;
        if (comm == "postgres" || program == "postgres" || argv.Any(a => a.StartsWith("/usr/lib/postgresql/", StringComparison.Ordinal)))
        {
            return PostgreSql; // also postgres-run.sh, the script DCP starts it with (its first argument is the bin folder)
        }
        if (comm == "redis-server" || program == "redis-server") return Redis;
        if (program is "dcp" or "dcpctrl" or "dcpproc" || comm is "dcp" or "dcpctrl" or "dcpproc") return Dcp;
        if (argv.Any(a => FileName(a) is "Aspire.Dashboard" or "Aspire.Dashboard.dll")) return Dashboard;
        if (program == "dotnet" && argv.Contains("run")) return DotnetRunWrapper;
        foreach (var arg in argv.Take(2).Append(comm))
        {
            var name = FileName(arg);
            if (name.EndsWith(".dll", StringComparison.Ordinal)) name = name[..^4];
            if (Services.TryGetValue(name, out var service)) return service;
        }
        return $"other ({comm})";
    }

    private static string FileName(string path) => Path.GetFileName(path.TrimEnd('\0', ' '));
}
