using System.Diagnostics.Metrics;

namespace Shop.ProductApi.Caching;

/// <summary>
/// Cache and database-load counters, exported through OpenTelemetry (meter "Shop.ProductApi") and also kept as
/// process totals for the admin diagnostics endpoint (each replica reports its own).
/// </summary>
public sealed class CatalogMetrics
{
    public const string MeterName = "Shop.ProductApi";

    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _bypasses;
    private readonly Counter<long> _databaseLoads;
    private long _hitCount, _missCount, _bypassCount, _databaseLoadCount;

    public CatalogMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _hits = meter.CreateCounter<long>("shop.products.cache.hits", description: "Reads answered from the cache (L1 or Redis), including callers that joined another caller's load.");
        _misses = meter.CreateCounter<long>("shop.products.cache.misses", description: "Reads that had to load from PostgreSQL.");
        _bypasses = meter.CreateCounter<long>("shop.products.cache.bypassed", description: "Reads served from PostgreSQL without the cache because Redis was unreachable.");
        _databaseLoads = meter.CreateCounter<long>("shop.products.db.loads", description: "Cacheable reads that ran a PostgreSQL query.");
    }

    public void Hit(string kind)
    {
        Interlocked.Increment(ref _hitCount);
        _hits.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }

    public void Miss(string kind)
    {
        Interlocked.Increment(ref _missCount);
        _misses.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }

    public void Bypass(string kind)
    {
        Interlocked.Increment(ref _bypassCount);
        _bypasses.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }

    public void DatabaseLoad(string kind)
    {
        Interlocked.Increment(ref _databaseLoadCount);
        _databaseLoads.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }

    public CacheStatistics Snapshot() => new(
        Interlocked.Read(ref _hitCount), Interlocked.Read(ref _missCount), Interlocked.Read(ref _bypassCount), Interlocked.Read(ref _databaseLoadCount));
}

public sealed record CacheStatistics(long Hits, long Misses, long Bypassed, long DatabaseLoads);
