namespace Shop.Gateway.RateLimiting;

/// <summary>Outcome of taking one token: whether it was granted, what is left, and when tokens come back.</summary>
public readonly record struct RateLimitDecision(bool Allowed, long Remaining, TimeSpan ResetAfter, int Limit);

/// <summary>
/// The bucket arithmetic, shared by the Redis script (same rules, written in Lua) and the local view of a bucket:
/// whole periods elapsed since the bucket's clock add TokensPerPeriod (at least 1) each, capped at TokenLimit.
/// </summary>
public static class TokenBucket
{
    public static (long Tokens, long ClockMs) Replenish(long tokens, long clockMs, long nowMs, RateLimitingOptions.BucketSettings settings)
    {
        var periodMs = settings.PeriodMs;
        var periods = (nowMs - clockMs) / periodMs;
        if (periods <= 0) return (tokens, clockMs);
        return (Math.Min(settings.TokenLimit, tokens + periods * Math.Max(1, settings.TokensPerPeriod)), clockMs + periods * periodMs);
    }
}
