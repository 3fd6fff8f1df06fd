namespace Shop.Gateway.Caching;

/// <summary>
/// Edge cache of public catalog reads ("Gateway:EdgeCache", reloadable). The TTL bounds staleness for changes that do
/// not pass through this gateway process (stock reserved by orders, a write through another gateway replica): the
/// default 1 s matches the product service's own cross-replica visibility promise. Writes through this gateway evict at once.
/// </summary>
public sealed class EdgeCacheOptions
{
    public const string SectionName = "Gateway:EdgeCache";

    public bool Enabled { get; set; } = true;

    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(1);
}
