namespace Shop.ProductApi.Caching;

/// <summary>Bound from "ProductCache" through IOptionsMonitor: an edit of the shared settings file applies to the next cache write.</summary>
public sealed class ProductCacheOptions
{
    public const string SectionName = "ProductCache";

    /// <summary>Lifetime in Redis (L2) and, unless <see cref="LocalExpiration"/> is set, in process memory (L1).</summary>
    public TimeSpan Expiration { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan? LocalExpiration { get; set; }
}
