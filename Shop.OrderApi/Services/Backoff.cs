namespace Shop.OrderApi.Services;

public static class Backoff
{
    /// <summary>Exponential backoff with full jitter: a random delay up to min · 2^(attempt-1), capped.</summary>
    public static TimeSpan For(int attempt, TimeSpan min, TimeSpan max, Random? random = null)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        var jittered = min.TotalMilliseconds + (random ?? Random.Shared).NextDouble() * Math.Max(0, ceiling - min.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(jittered);
    }
}
