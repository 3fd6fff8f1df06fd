namespace Shop.Gateway.RateLimiting;

/// <summary>
/// Edge rate limits, bound from "Gateway:RateLimiting" (documented in shop.settings.json, reloaded live).
/// A token bucket per caller (token sub, else client IP) and per route group: it holds <see cref="BucketSettings.TokenLimit"/>
/// tokens and gets <see cref="BucketSettings.TokensPerPeriod"/> back every <see cref="BucketSettings.ReplenishmentPeriod"/>.
/// The default (100 / 100 / 1 min) means at most 100 requests in any minute per caller and group; the "login" group
/// (sign-in, refresh, sign-out) allows 10 a minute. These defaults are the values shop.settings.json documents, so a
/// deployment that carries no settings file keeps them.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "Gateway:RateLimiting";
    public const string DefaultGroup = "default";
    public const string LoginGroup = "login";

    public bool Enabled { get; set; } = true;

    public BucketSettings Default { get; set; } = new();

    /// <summary>Per route group overrides (a route names its group in its "RateLimitGroup" metadata), e.g. "login".</summary>
    public Dictionary<string, BucketSettings> Groups { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [LoginGroup] = new() { TokenLimit = 10, TokensPerPeriod = 10 },
    };

    /// <summary>
    /// How often each gateway process sends the tokens it granted to the shared buckets in Redis (at most; only while it
    /// grants any). Kong's rate-limiting plugin calls the same setting <c>sync_rate</c>. Longer means fewer Redis calls;
    /// a bucket still syncs at once after <see cref="LocalTokenBuckets.MaxUnsynced"/> grants.
    /// </summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public BucketSettings For(string group) => Groups.TryGetValue(group, out var settings) ? settings : Default;

    public sealed class BucketSettings
    {
        public int TokenLimit { get; set; } = 100;
        public int TokensPerPeriod { get; set; } = 100;
        public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>The period in whole milliseconds, at least 1 (the unit of the bucket arithmetic).</summary>
        public long PeriodMs => Math.Max(1, (long)ReplenishmentPeriod.TotalMilliseconds);
    }
}
