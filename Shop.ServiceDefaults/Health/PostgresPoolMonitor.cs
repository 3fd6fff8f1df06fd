using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.ServiceDefaults.Health;

public sealed class PostgresPoolOptions
{
    public const string SectionName = "PostgresPool";

    /// <summary>
    /// Share of a pool's maximum in use above which, while requests are waiting for a connection, the service reports
    /// DEGRADED and logs a warning.
    /// </summary>
    public double DegradedUsageRatio { get; set; } = 0.8;
}

/// <summary>
/// A health check that reports DEGRADED (and logs a warning) while a PostgreSQL connection pool is exhausted: nearly
/// all its connections in use and requests waiting for one. The pools are small on purpose (a few connections per
/// process: <c>PostgresDbContextExtensions.MaxPoolSize</c>), so all of them busy is ordinary under load; requests
/// queueing behind them is not. Fed by Npgsql's own pool metrics (db.client.connection.count / .max /
/// .npgsql.pending_requests) instead of polling: a MeterListener keeps the latest figures per pool.
/// </summary>
public sealed class PostgresPoolMonitor : IHealthCheck, IDisposable
{
    // Npgsql's names, after OpenTelemetry's database client conventions.
    private const string UsageInstrument = "db.client.connection.count";
    private const string MaxInstrument = "db.client.connection.max";
    private const string PendingInstrument = "db.client.connection.npgsql.pending_requests";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, PoolFigures> _pools = new();
    private readonly IOptionsMonitor<PostgresPoolOptions> _options;
    private readonly ILogger<PostgresPoolMonitor> _logger;
    private readonly ConcurrentDictionary<string, bool> _warned = new();

    public PostgresPoolMonitor(IOptionsMonitor<PostgresPoolOptions> options, ILogger<PostgresPoolMonitor> logger)
    {
        _options = options;
        _logger = logger;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is UsageInstrument or MaxInstrument or PendingInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>(OnMeasurement);
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => OnMeasurement(instrument, (int)value, tags, state));
        _listener.Start();
    }

    /// <summary>Pools seen so far (by Npgsql pool name): connections in use, the maximum, and requests waiting for one.</summary>
    public IReadOnlyDictionary<string, (int Used, int Max, int Pending)> Snapshot()
    {
        _listener.RecordObservableInstruments();
        return _pools.ToDictionary(p => p.Key, p => (p.Value.Used, p.Value.Max, p.Value.Pending));
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var ratio = _options.CurrentValue.DegradedUsageRatio;
        var busy = new List<string>();
        foreach (var (pool, (used, max, pending)) in Snapshot())
        {
            if (max > 0 && used > ratio * max && pending > 0)
            {
                busy.Add($"{Describe(pool)}: {used}/{max} connections in use, {pending} waiting");
                if (_warned.TryAdd(pool, true))
                {
                    _logger.LogWarning("PostgreSQL pool {Pool} is {Used}/{Max} in use, above {Ratio:P0}, with {Pending} requests waiting",
                        Describe(pool), used, max, ratio, pending);
                }
            }
            else
            {
                _warned.TryRemove(pool, out _);
            }
        }

        return Task.FromResult(busy.Count == 0
            ? HealthCheckResult.Healthy($"{_pools.Count} pool(s) below {ratio:P0} use")
            : HealthCheckResult.Degraded(string.Join("; ", busy)));
    }

    private void OnMeasurement(Instrument instrument, int value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? pool = null;
        string? usageState = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "db.client.connection.pool.name") pool = tag.Value?.ToString();
            else if (tag.Key == "db.client.connection.state") usageState = tag.Value?.ToString();
        }
        if (pool is null) return;

        // Keyed by the whole pool name (Npgsql's connection string without the password): two pools on one database differ.
        var figures = _pools.GetOrAdd(pool, _ => new PoolFigures());
        if (instrument.Name == MaxInstrument) figures.Max = value;
        else if (instrument.Name == PendingInstrument) figures.Pending = value;
        else if (usageState == "used") figures.Used = value;
    }

    /// <summary>A pool's database and host, for logs and health descriptions.</summary>
    private static string Describe(string poolName)
    {
        var parts = poolName.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0].ToLowerInvariant(), kv => kv[1]);
        return parts.TryGetValue("database", out var db) ? $"{db}@{parts.GetValueOrDefault("host")}" : poolName;
    }

    public void Dispose() => _listener.Dispose();

    private sealed class PoolFigures
    {
        public volatile int Used;
        public volatile int Max;
        public volatile int Pending;
    }
}

public static class PostgresPoolMonitorExtensions
{
    public static TBuilder AddPostgresPoolMonitor<TBuilder>(this TBuilder builder) where TBuilder : Microsoft.Extensions.Hosting.IHostApplicationBuilder
    {
        builder.Services.Configure<PostgresPoolOptions>(builder.Configuration.GetSection(PostgresPoolOptions.SectionName));
        builder.Services.AddSingleton<PostgresPoolMonitor>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "postgres-pool", sp => sp.GetRequiredService<PostgresPoolMonitor>(), HealthStatus.Degraded, [HealthTags.Ready]));
        return builder;
    }
}
