using Microsoft.Extensions.Configuration;
using Shop.ServiceDefaults.Configuration;

namespace Shop.AppHost.Hosting;

public static class ShopProjectExtensions
{
    private const string MetricExportIntervalMs = "5000";
    private const string MallocArenas = "2";
    /// <summary>Aspire.Hosting.Testing sets it (DCP then gives every proxied endpoint a random port).</summary>
    private const string RandomizePortsKey = "DcpPublisher:RandomizePorts";

    /// <summary>
    /// What every Shop service gets: the token key all of them validate with, a health check the AppHost waits on,
    /// and (in run mode) the shared, live-reloaded tunables file.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopDefaults(this IResourceBuilder<ProjectResource> builder,
        IResourceBuilder<ParameterResource> jwtSigningKey, string settingsFile)
    {
        builder.WithSetting(ShopConfigurationKeys.JwtSigningKey, jwtSigningKey)
            .WithHttpHealthCheck(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath)
            // Aspire exports metrics every second; seven processes doing so keep the dashboard busy while nothing
            // happens. Every 5 s still draws live charts.
            .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", MetricExportIntervalMs)
            // glibc gives each thread that allocates concurrently its own malloc arena (up to 8 per core), and the
            // native allocations (the JIT's, librdkafka's) leave each arena's freed pages resident. Two arenas:
            // the services' summed RSS under the benchmark mix 1,280 -> 1,206 MiB (PSS 794 -> 722), CPU per order
            // unchanged within the runs' spread (README, Benchmarks).
            .WithEnvironment("MALLOC_ARENA_MAX", MallocArenas);

        // A deployment carries its tunables in its own configuration; the file is the local config centre.
        if (builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            builder.WithEnvironment(ShopConfigurationKeys.SettingsFile, settingsFile);
            // Locally, JIT warm-up of seven processes on two cores dominates the first minutes, and W^X mapping
            // makes every JIT write cost two page-protection changes. Published containers keep the hardening.
            builder.WithEnvironment("DOTNET_EnableWriteXorExecute", "0");
        }
        return builder;
    }

    /// <summary>
    /// <paramref name="replicas"/> instances of the service. A single instance is reached without DCP's proxy
    /// (<see cref="WithoutProxy"/>); several replicas need the proxy, which spreads connections over them.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        builder.WithReplicas(replicas);
        return replicas == 1 ? builder.WithoutProxy() : builder;
    }

    /// <summary>
    /// In run mode, each endpoint of the (single-instance) project is a port the process listens on itself, not one
    /// of DCP's proxies: a call then makes one loopback hop, not two, and DCP copies none of its bytes (DCP took
    /// 0.8 ms of CPU per order between services, and 0.15 ms per request in front of the gateway, README
    /// Benchmarks). The port is the launch profile's (the gateway's 8080), or a free one when the ports are
    /// randomized (Aspire.Hosting.Testing: several apps at once); fixed, it also survives a restart. Publish mode
    /// leaves the endpoints to the deployment.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithoutProxy(this IResourceBuilder<ProjectResource> builder)
    {
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }
        var randomizePorts = builder.ApplicationBuilder.Configuration.GetValue<bool>(RandomizePortsKey);
        foreach (var endpoint in builder.Resource.Annotations.OfType<EndpointAnnotation>())
        {
            // DCP allocates no port for an endpoint without a proxy.
            var port = endpoint.Port is { } profilePort && !randomizePorts ? profilePort : LoopbackPort.Allocate();
            endpoint.IsProxied = false;
            endpoint.Port = port;
            endpoint.TargetPort = port;
        }
        return builder;
    }

    /// <summary>Sets a configuration key (':'-separated) of the service, as the environment variable that carries it.</summary>
    public static IResourceBuilder<ProjectResource> WithSetting(this IResourceBuilder<ProjectResource> builder, string key,
        IResourceBuilder<ParameterResource> value) =>
        builder.WithEnvironment(ShopConfigurationKeys.ToEnvironmentVariable(key), value);
}
