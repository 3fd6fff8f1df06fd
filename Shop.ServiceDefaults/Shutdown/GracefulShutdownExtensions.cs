using System.Runtime.InteropServices;
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

    /// <summary>
    /// Marks the drain on stop, and bounds how long a process told to end by a signal can take: a native client
    /// (a Kafka close) or a telemetry exporter retrying an absent collector can hang the stop or the disposal after
    /// it, and an orchestrator must see the process end. Past the drain and a grace period the process ends itself.
    /// Only a signal arms it, so a host stopped in-process (a test) never ends its process.
    /// </summary>
    private sealed class ShutdownDrainWatcher(
        IHostApplicationLifetime lifetime, ShutdownState state, IOptions<ShutdownOptions> options, ILogger<ShutdownDrainWatcher> logger) : IHostedService, IDisposable
    {
        private readonly List<PosixSignalRegistration> _signals = [];
        private int _armed;

        public void Dispose()
        {
            foreach (var signal in _signals) signal.Dispose();
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(() =>
            {
                state.BeginDrain();
                logger.LogInformation("Shutdown requested: draining for up to {DrainTimeout}", options.Value.DrainTimeout);
            });
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
            {
                // Not cancelled: the host's own handler still runs and starts the graceful stop.
                _signals.Add(PosixSignalRegistration.Create(signal, context => ArmWatchdog(context.Signal)));
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private void ArmWatchdog(PosixSignal signal)
        {
            if (Interlocked.Exchange(ref _armed, 1) == 1) return;
            var limit = options.Value.DrainTimeout + WatchdogGrace;
            logger.LogInformation("{Signal} received: the process ends within {Limit} at the latest", signal, limit);
            // A thread of its own with a plain sleep, not a TimeProvider timer: it must fire even when the thread
            // pool or the timers are what hangs the stop.
            var watchdog = new Thread(() =>
            {
                Thread.Sleep(limit);
                logger.LogCritical("Shutdown did not finish within {Limit}; ending the process", limit);
                // Not Environment.Exit: its exit handlers wait for the very stop that hangs.
                System.Diagnostics.Process.GetCurrentProcess().Kill();
            }) { IsBackground = true, Name = "Shutdown watchdog" };
            watchdog.Start();
        }
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
