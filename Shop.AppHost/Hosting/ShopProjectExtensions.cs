using Microsoft.Extensions.Configuration;
using Shop.ServiceDefaults.Configuration;

namespace Shop.AppHost.Hosting;

public static class ShopProjectExtensions
{
    private const string MetricExportIntervalMs = "5000";
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
            // native allocations (the JIT's, librdkafka's) leave each arena's freed pages resident. One arena: the
            // services' summed RSS under the benchmark mix 1,159-1,171 -> 1,135-1,144 MiB (PSS 615-626 -> 590-599),
            // 13 MiB of it the notifier's; CPU per order unchanged within the runs' spread (README, Benchmarks).
            .WithEnvironment("MALLOC_ARENA_MAX", "1");

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
    /// <paramref name="replicas"/> instances of the service. A single instance is reached without DCP's proxy, on a
    /// free loopback port of its own; several replicas need the proxy, which spreads connections over them.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        builder.WithReplicas(replicas);
        return replicas == 1 ? builder.ListenWithoutProxy(_ => LoopbackPort.Allocate()) : builder;
    }

    /// <summary>
    /// A single-instance front door (the gateway, the storefront) reached without DCP's proxy, on its launch profile's
    /// port (8080, 8081: what a developer browses to), or on a free one when the ports are randomized
    /// (Aspire.Hosting.Testing: several apps at once).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithoutProxy(this IResourceBuilder<ProjectResource> builder)
    {
        var randomizePorts = builder.ApplicationBuilder.Configuration.GetValue<bool>(RandomizePortsKey);
        return builder.ListenWithoutProxy(endpoint =>
            endpoint.Port is { } profilePort && !randomizePorts ? profilePort : LoopbackPort.Allocate());
    }

    /// <summary>
    /// In run mode, each endpoint is a port the process listens on itself, not one of DCP's proxies: a call then makes
    /// one loopback hop, not two, and DCP copies none of its bytes (README, Benchmarks: DCP's CPU per order 0.75 ->
    /// 0.50 ms without it between services, 0.20 -> 0.04 ms without it in front of the gateway). A fixed port also
    /// survives a restart. Publish mode leaves the endpoints to the deployment.
    /// </summary>
    private static IResourceBuilder<ProjectResource> ListenWithoutProxy(this IResourceBuilder<ProjectResource> builder,
        Func<EndpointAnnotation, int> portFor)
    {
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }
        foreach (var endpoint in builder.Resource.Annotations.OfType<EndpointAnnotation>())
        {
            var port = portFor(endpoint);
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
