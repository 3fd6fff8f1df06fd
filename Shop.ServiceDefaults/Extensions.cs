using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using Shop.ServiceDefaults.OpenApi;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Health;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.Shutdown;
using Shop.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

// Adds common Aspire services: service discovery, resilience, health checks, OpenTelemetry and graceful shutdown.
// Every Shop service calls AddServiceDefaults() once and MapDefaultEndpoints() once.
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>ActivitySource and Meter names of Shop's own instrumentation; every service may add spans under these.</summary>
    public const string ShopTelemetryPrefix = "Shop.";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddShopSettingsFile();
        // The one clock of every service (tests may register another before this).
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddGracefulShutdown();

        builder.Services.AddShopErrorPipeline();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.Configure<TraceSamplingOptions>(builder.Configuration.GetSection(TraceSamplingOptions.SectionName));
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql", "Microsoft.Extensions.Caching.Hybrid", ShopTelemetryPrefix + "*"))
            .WithTracing(tracing => tracing
                .SetSampler(services => new ShopTraceSampler(
                    services.GetRequiredService<IOptionsMonitor<TraceSamplingOptions>>(), services.GetRequiredService<TimeProvider>()))
                .AddSource(builder.Environment.ApplicationName, "Npgsql", ShopTelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation(options =>
                    // Health probes every few seconds would drown the real traces.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [HealthTags.Live]);
        builder.AddPostgresPoolMonitor();
        return builder;
    }

    /// <summary>
    /// The shared middleware (<see cref="ServicePipelineExtensions.UseServicePipeline"/>), <c>/health</c>,
    /// <c>/alive</c> and the service's OpenAPI document when it registered one.
    /// </summary>
    /// <param name="detail"><see cref="HealthDetail.StatusOnly"/> for a public port: statuses without descriptions.</param>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, HealthDetail detail = HealthDetail.Full)
    {
        app.UseServicePipeline();
        app.MapDefaultOpenApi();

        // Served in every environment: the gateway's active health checks and any orchestrator rely on them.
        // They expose status names, descriptions and durations only, never configuration or exception details.
        Func<HttpContext, HealthReport, Task> writer = detail == HealthDetail.Full
            ? HealthResponseWriter.WriteAsync
            : HealthResponseWriter.WriteStatusOnlyAsync;
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = writer,
            ResultStatusCodes = HealthResponseWriter.StatusCodes,
        }).DisableHttpMetrics();

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Live),
            ResponseWriter = writer,
            ResultStatusCodes = HealthResponseWriter.StatusCodes,
        }).DisableHttpMetrics();

        return app;
    }
}
