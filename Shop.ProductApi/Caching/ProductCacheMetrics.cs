using System.Diagnostics.Metrics;

namespace Shop.ProductApi.Caching;

/// <summary>
/// Cache and database-load counters, exported through OpenTelemetry (meter "Shop.ProductApi") and also kept as
/// process totals for the admin diagnostics endpoint (each replica reports its own).
/// </summary>
public sealed class ProductCacheMetrics
{
    public const string MeterName = "Shop.ProductApi";

    private readonly Tally _hits;
    private readonly Tally _misses;
    private readonly Tally _bypasses;
    private readonly Tally _databaseLoads;

    public ProductCacheMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _hits = new(meter.CreateCounter<long>("shop.products.cache.hits", description: "Reads answered from the cache (L1 or Redis), including callers that joined another caller's load."));
        _misses = new(meter.CreateCounter<long>("shop.products.cache.misses", description: "Reads that had to load from PostgreSQL."));
        _bypasses = new(meter.CreateCounter<long>("shop.products.cache.bypassed", description: "Reads served from PostgreSQL without the cache because Redis was unreachable."));
        _databaseLoads = new(meter.CreateCounter<long>("shop.products.db.loads", description: "Cacheable reads that ran a PostgreSQL query."));
    }

    public void Hit(string kind) => _hits.Add(kind);

    public void Miss(string kind) => _misses.Add(kind);

    public void Bypass(string kind) => _bypasses.Add(kind);

    public void DatabaseLoad(string kind) => _databaseLoads.Add(kind);

    public CacheStatistics Snapshot() => new(_hits.Total, _misses.Total, _bypasses.Total, _databaseLoads.Total);

    /// <summary>An exported counter that also keeps its process total.</summary>
    private sealed class Tally(Counter<long> counter)
    {
        private long _total;

        public long Total => Interlocked.Read(ref _total);

        public void Add(string kind)
        {
            Interlocked.Increment(ref _total);
            counter.Add(1, new KeyValuePair<string, object?>("kind", kind));
        }
    }
}

public sealed record CacheStatistics(long Hits, long Misses, long Bypassed, long DatabaseLoads);
