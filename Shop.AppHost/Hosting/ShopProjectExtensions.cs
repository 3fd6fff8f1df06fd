using Shop.ServiceDefaults.Configuration;

namespace Shop.AppHost.Hosting;

public static class ShopProjectExtensions
{
    private const string MetricExportIntervalMs = "5000";

    /// <summary>
    /// What every Shop service gets: the token key all of them validate with, a health check the AppHost waits on,
    /// and (in run mode) the shared, live-reloaded tunables file.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopDefaults(this IResourceBuilder<ProjectResource> builder,
        IResourceBuilder<ParameterResource> jwtSigningKey, string settingsFile)
    {
        builder.WithSetting(ShopConfigurationKeys.JwtSigningKey, jwtSigningKey)
            .WithHttpHealthCheck("/health")
            // Aspire exports metrics every second; seven processes doing so keep the dashboard busy while nothing
            // happens. Every 5 s still draws live charts.
            .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", MetricExportIntervalMs);

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

    /// <summary>Sets a configuration key (':'-separated) of the service, as the environment variable that carries it.</summary>
    public static IResourceBuilder<ProjectResource> WithSetting(this IResourceBuilder<ProjectResource> builder, string key,
        IResourceBuilder<ParameterResource> value) =>
        builder.WithEnvironment(ShopConfigurationKeys.ToEnvironmentVariable(key), value);
}
