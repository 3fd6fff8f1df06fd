using Microsoft.Extensions.DependencyInjection;

namespace Shop.AppHost.Hosting;

/// <summary>Run-mode Redis without a container engine: Debian's redis-server as an executable resource.</summary>
public static class LocalRedisBuilderExtensions
{
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name)
    {
        var redis = new LocalRedisResource(name);
        var port = LoopbackPort.Allocate();

        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
            Prerequisites.FindOnPath("redis-server") is null
                ? throw Prerequisites.Missing("redis-server", "redis-server")
                : Task.CompletedTask);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis($"localhost:{port},abortConnect=false,connectTimeout=2000", name: healthCheckKey);

        return builder.AddResource(redis)
            .WithEndpoint(port: port, targetPort: port, name: LocalRedisResource.PrimaryEndpointName, isProxied: false)
            .WithArgs("--port", port.ToString(), "--bind", "127.0.0.1", "-::1", "--save", "", "--appendonly", "no",
                "--protected-mode", "no", "--loglevel", "warning")
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Memory");
    }
}
