using Shop.Gateway.RateLimiting;

namespace Shop.Tests.Gateway;

public sealed class LocalTokenBucketsTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static RateLimitingOptions.BucketSettings Bucket(int limit, TimeSpan period) =>
        new() { TokenLimit = limit, TokensPerPeriod = limit, ReplenishmentPeriod = period };

    private static RateLimitDecision Acquire(LocalTokenBuckets buckets, string key, RateLimitingOptions.BucketSettings settings) =>
        buckets.TryAcquire(buckets.BucketFor(key, settings), settings, evenIfUnsynced: true)!.Value;

    [Fact]
    public void A_sweep_triggered_by_a_short_period_group_keeps_an_emptied_bucket_of_a_long_period_group()
    {
        var clock = new ManualClock();
        var buckets = new LocalTokenBuckets(clock);
        var hourly = Bucket(limit: 1, TimeSpan.FromHours(1));
        var perSecond = Bucket(limit: 10, TimeSpan.FromSeconds(1));

        Assert.True(Acquire(buckets, "caller:login", hourly).Allowed);
        Assert.False(Acquire(buckets, "caller:login", hourly).Allowed);

        // Five minutes on, a request of the short-period group sweeps idle buckets.
        clock.Now += TimeSpan.FromMinutes(5);
        Assert.True(Acquire(buckets, "caller:default", perSecond).Allowed);

        var decision = Acquire(buckets, "caller:login", hourly);
        Assert.False(decision.Allowed);
        Assert.Equal(TimeSpan.FromMinutes(55), decision.ResetAfter);
    }

    [Fact]
    public void A_caller_idle_for_longer_than_its_period_has_a_full_bucket_again()
    {
        var clock = new ManualClock();
        var buckets = new LocalTokenBuckets(clock);
        var perMinute = Bucket(limit: 2, TimeSpan.FromMinutes(1));

        Assert.True(Acquire(buckets, "caller", perMinute).Allowed);
        Assert.True(Acquire(buckets, "caller", perMinute).Allowed);
        Assert.False(Acquire(buckets, "caller", perMinute).Allowed);

        clock.Now += TimeSpan.FromMinutes(3);
        var decision = Acquire(buckets, "caller", perMinute);
        Assert.True(decision.Allowed);
        Assert.Equal(1, decision.Remaining);
    }

    [Fact]
    public void A_bucket_syncs_before_its_first_grant_and_again_after_a_tenth_of_its_limit_in_uncounted_grants()
    {
        var buckets = new LocalTokenBuckets(new ManualClock());
        var perMinute = Bucket(limit: 20, TimeSpan.FromMinutes(1));
        var bucket = buckets.BucketFor("caller", perMinute);

        Assert.Null(buckets.TryAcquire(bucket, perMinute));
        var first = buckets.TryTakeUnsynced(bucket, Task.CompletedTask, out _)!.Value;
        Assert.Equal(0, first.Taken);
        buckets.ApplyShared(first, sharedTokens: 15, resetAfterMs: 40_000);

        Assert.Equal(2, LocalTokenBuckets.MaxUnsynced(perMinute));
        Assert.Equal(14, buckets.TryAcquire(bucket, perMinute)!.Value.Remaining);
        Assert.Equal(13, buckets.TryAcquire(bucket, perMinute)!.Value.Remaining);
        Assert.Null(buckets.TryAcquire(bucket, perMinute));
        Assert.Equal(2, buckets.TryTakeUnsynced(bucket, Task.CompletedTask, out _)!.Value.Taken);
    }

    [Fact]
    public void One_sync_per_bucket_is_in_flight_and_its_grants_still_count_until_Redis_answers()
    {
        var buckets = new LocalTokenBuckets(new ManualClock());
        var perMinute = Bucket(limit: 20, TimeSpan.FromMinutes(1));
        var bucket = buckets.BucketFor("caller", perMinute);
        buckets.ApplyShared(buckets.TryTakeUnsynced(bucket, Task.CompletedTask, out _)!.Value, sharedTokens: 20, resetAfterMs: 60_000);
        buckets.TryAcquire(bucket, perMinute);
        buckets.TryAcquire(bucket, perMinute);

        var answer = new TaskCompletionSource();
        var sent = buckets.TryTakeUnsynced(bucket, answer.Task, out _)!.Value;
        Assert.Null(buckets.TryTakeUnsynced(bucket, Task.CompletedTask, out var inFlight));
        Assert.Same(answer.Task, inFlight);
        Assert.Null(buckets.TryAcquire(bucket, perMinute));
        Assert.Empty(buckets.TakeUnsynced(Task.CompletedTask));

        // Another replica took the rest: once Redis says so, this one refuses without asking for a sync.
        buckets.ApplyShared(sent, sharedTokens: 0, resetAfterMs: 30_000);
        var refused = buckets.TryAcquire(bucket, perMinute);
        Assert.False(refused!.Value.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Value.ResetAfter);
    }

    [Fact]
    public void Redis_s_answer_counts_the_grants_made_while_it_was_in_flight_and_the_refill_from_when_they_were_taken()
    {
        var clock = new ManualClock();
        var buckets = new LocalTokenBuckets(clock);
        var perMinute = Bucket(limit: 100, TimeSpan.FromMinutes(1));
        var bucket = buckets.BucketFor("caller", perMinute);
        Acquire(buckets, "caller", perMinute);

        var sent = buckets.TryTakeUnsynced(bucket, Task.CompletedTask, out _)!.Value;
        Acquire(buckets, "caller", perMinute);
        Acquire(buckets, "caller", perMinute);
        clock.Now += TimeSpan.FromSeconds(5);

        // 60 left after both replicas' grants, less this one's two since; Redis refills 10 s after the grants were taken.
        buckets.ApplyShared(sent, sharedTokens: 60, resetAfterMs: 10_000);

        var decision = Acquire(buckets, "caller", perMinute);
        Assert.Equal(57, decision.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(5), decision.ResetAfter);
    }

    [Fact]
    public void A_lowered_limit_applies_to_a_bucket_at_once()
    {
        var buckets = new LocalTokenBuckets(new ManualClock());
        var lifted = Bucket(limit: 1_000_000, TimeSpan.FromMinutes(1));
        Acquire(buckets, "caller", lifted);

        var four = Bucket(limit: 4, TimeSpan.FromMinutes(1));
        Assert.Equal(3, Acquire(buckets, "caller", four).Remaining);
    }
}
