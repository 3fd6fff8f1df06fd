using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.ServiceDefaults.Shutdown;

public static class GracefulShutdownExtensions
{
    /// <summary>
    /// On SIGTERM: health turns 503 at once, requests that arrive from then on get 503 with Connection: close,
    /// in-flight requests and hosted services (consumers, relays) get <see cref="ShutdownOptions.DrainTimeout"/> to finish.
    /// </summary>
    public static TBuilder AddGracefulShutdown<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(ShutdownOptions.SectionName);
        builder.Services.Configure<ShutdownOptions>(section);
        builder.Services.AddSingleton<ShutdownState>();
        builder.Services.AddHostedService<ShutdownDrainWatcher>();
        builder.Services.AddTransient<IStartupFilter, ShutdownStartupFilter>();

        var drain = section.Get<ShutdownOptions>()?.DrainTimeout ?? new ShutdownOptions().DrainTimeout;
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = drain);
        return builder;
    }

    private static readonly TimeSpan WatchdogGrace = TimeSpan.FromSeconds(15);

    private sealed class ShutdownDrainWatcher(
        IHostApplicationLifetime lifetime, ShutdownState state, IOptions<ShutdownOptions> options, ILogger<ShutdownDrainWatcher> logger) : IHostedService, IDisposable
    {
        private readonly CancellationTokenSource _disposed = new();

        public void Dispose()
        {
            _disposed.Cancel();
            _disposed.Dispose();
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(() =>
            {
                state.BeginDrain();
                var drain = options.Value.DrainTimeout;
                logger.LogInformation("Shutdown requested: draining for up to {DrainTimeout}", drain);
                // A bounded stop even when a native client (e.g. a Kafka close) hangs past the drain: an orchestrator
                // must see the process end. Past the drain and a grace period, the process ends itself.
                // Disarmed when the host disposes its services, the very last step of a normal stop.
                _ = Task.Delay(drain + WatchdogGrace, _disposed.Token).ContinueWith(_ =>
                {
                    logger.LogCritical("Shutdown did not finish within {Limit}; ending the process", drain + WatchdogGrace);
                    System.Diagnostics.Process.GetCurrentProcess().Kill();
                }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class ShutdownStartupFilter(ShutdownState state) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (state.IsDraining && !IsHealthProbe(context.Request.Path))
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.Connection = "close";
                    context.Response.Headers.RetryAfter = "1";
                    return Task.CompletedTask;
                }
                return nextMiddleware(context);
            });
            next(app);
        };

        private static bool IsHealthProbe(PathString path) =>
            path.StartsWithSegments(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath)
            || path.StartsWithSegments(Microsoft.Extensions.Hosting.Extensions.AlivenessEndpointPath);
    }
}
