using Shop.Gateway.RateLimiting;

namespace Shop.Tests.Gateway;

public sealed class LocalRateLimiterTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static RateLimitingOptions.BucketSettings Bucket(int limit, TimeSpan period) =>
        new() { TokenLimit = limit, TokensPerPeriod = limit, ReplenishmentPeriod = period };

    [Fact]
    public void A_sweep_triggered_by_a_short_period_group_keeps_an_emptied_bucket_of_a_long_period_group()
    {
        var clock = new ManualClock();
        var limiter = new LocalRateLimiter(clock);
        var hourly = Bucket(limit: 1, TimeSpan.FromHours(1));
        var perSecond = Bucket(limit: 10, TimeSpan.FromSeconds(1));

        Assert.True(limiter.TryAcquire("caller:login", hourly).Allowed);
        Assert.False(limiter.TryAcquire("caller:login", hourly).Allowed);

        // Five minutes on, a request of the short-period group sweeps idle buckets.
        clock.Now += TimeSpan.FromMinutes(5);
        Assert.True(limiter.TryAcquire("caller:default", perSecond).Allowed);

        var decision = limiter.TryAcquire("caller:login", hourly);
        Assert.False(decision.Allowed);
        Assert.Equal(TimeSpan.FromMinutes(55), decision.ResetAfter);
    }

    [Fact]
    public void A_caller_idle_for_longer_than_its_period_has_a_full_bucket_again()
    {
        var clock = new ManualClock();
        var limiter = new LocalRateLimiter(clock);
        var perMinute = Bucket(limit: 2, TimeSpan.FromMinutes(1));

        Assert.True(limiter.TryAcquire("caller", perMinute).Allowed);
        Assert.True(limiter.TryAcquire("caller", perMinute).Allowed);
        Assert.False(limiter.TryAcquire("caller", perMinute).Allowed);

        clock.Now += TimeSpan.FromMinutes(3);
        var decision = limiter.TryAcquire("caller", perMinute);
        Assert.True(decision.Allowed);
        Assert.Equal(1, decision.Remaining);
    }
}
