using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// This gateway process's view of the callers' token buckets: every request is decided here, without a network call.
/// Tokens granted here stay "unsynced" until <see cref="EdgeRateLimiter"/> sends them to the shared buckets in Redis
/// and replaces the view with Redis's answer. A view lacks only the other replicas' grants since its last sync, so it
/// is never below the shared bucket: a refusal here is always right, and a grant beyond the shared limit is bounded by
/// <see cref="MaxUnsynced"/> per replica. Idle buckets are swept.
/// </summary>
public sealed class LocalTokenBuckets(TimeProvider time)
{
    /// <summary>One caller's bucket in one route group (key <c>group:partition</c>); its fields are guarded by its lock.</summary>
    public sealed class Bucket(string key)
    {
        public string Key { get; } = key;
        internal long Tokens;
        internal long ClockMs;
        internal long IdleAfterMs;
        internal long Unsynced;
        internal long SyncsTaken;
        internal long SyncApplied;
        internal bool Queued;
        internal RateLimitingOptions.BucketSettings Settings = new();
    }

    /// <summary>Tokens a bucket granted since <paramref name="Sequence"/>'s predecessor was taken, to send to Redis.</summary>
    public readonly record struct UnsyncedGrants(Bucket Bucket, long Taken, long Sequence, RateLimitingOptions.BucketSettings Settings);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    private readonly Channel<Bucket> _toSync = Channel.CreateUnbounded<Bucket>(new() { SingleReader = true });
    private long _lastSweepMs;

    /// <summary>
    /// Grants a bucket may make before Redis has heard of them: a tenth of its limit, at least one. Past it, a request
    /// waits for a sync first, so a replica that missed the other replicas' grants admits at most this many too many.
    /// </summary>
    public static long MaxUnsynced(RateLimitingOptions.BucketSettings settings) => Math.Max(1, settings.TokenLimit / 10);

    public Bucket BucketFor(string key, RateLimitingOptions.BucketSettings settings)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Sweep(now);
        return _buckets.GetOrAdd(key, static (key, state) => new Bucket(key)
        {
            Tokens = state.settings.TokenLimit,
            ClockMs = state.now,
            IdleAfterMs = IdleAfterMs(state.settings),
            Settings = state.settings,
        }, (settings, now));
    }

    /// <summary>
    /// Takes one token if the bucket has one. Returns null instead of granting when the bucket already holds
    /// <see cref="MaxUnsynced"/> unsynced grants: sync it (<see cref="TakeUnsynced(Bucket)"/>), then ask again with
    /// <paramref name="evenIfUnsynced"/>. A lowered limit applies at once: the bucket never holds more than it.
    /// </summary>
    public RateLimitDecision? TryAcquire(Bucket bucket, RateLimitingOptions.BucketSettings settings, bool evenIfUnsynced = false)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (bucket)
        {
            bucket.Settings = settings;
            Volatile.Write(ref bucket.IdleAfterMs, IdleAfterMs(settings));
            (bucket.Tokens, bucket.ClockMs) = TokenBucket.Replenish(Math.Min(bucket.Tokens, settings.TokenLimit), bucket.ClockMs, now, settings);
            var allowed = bucket.Tokens >= 1;
            if (allowed && !evenIfUnsynced && bucket.Unsynced >= MaxUnsynced(settings)) return null;
            if (allowed)
            {
                bucket.Tokens--;
                bucket.Unsynced++;
                if (!bucket.Queued) bucket.Queued = _toSync.Writer.TryWrite(bucket);
            }
            var resetMs = bucket.ClockMs + settings.PeriodMs - now;
            return new RateLimitDecision(allowed, bucket.Tokens, TimeSpan.FromMilliseconds(Math.Max(0, resetMs)), settings.TokenLimit);
        }
    }

    /// <summary>Completes when some bucket has grants to sync; false once the process stops taking any.</summary>
    public ValueTask<bool> WaitForUnsyncedAsync(CancellationToken cancellationToken) => _toSync.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Every queued bucket's unsynced grants, counted as sent from now on.</summary>
    public List<UnsyncedGrants> TakeUnsynced()
    {
        var batch = new List<UnsyncedGrants>();
        while (_toSync.Reader.TryRead(out var bucket))
        {
            lock (bucket) bucket.Queued = false;
            batch.Add(TakeUnsynced(bucket));
        }
        return batch;
    }

    /// <summary>One bucket's unsynced grants, counted as sent from now on.</summary>
    public UnsyncedGrants TakeUnsynced(Bucket bucket)
    {
        lock (bucket)
        {
            var grants = new UnsyncedGrants(bucket, bucket.Unsynced, ++bucket.SyncsTaken, bucket.Settings);
            bucket.Unsynced = 0;
            return grants;
        }
    }

    /// <summary>
    /// Replaces the view with the shared bucket as Redis answered a sync (tokens left, milliseconds until its next
    /// refill), less what this process granted since. An answer older than one already applied is ignored.
    /// </summary>
    public void ApplyShared(UnsyncedGrants sent, long sharedTokens, long resetAfterMs)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var bucket = sent.Bucket;
        lock (bucket)
        {
            if (sent.Sequence <= bucket.SyncApplied) return;
            bucket.SyncApplied = sent.Sequence;
            bucket.Tokens = Math.Max(0, sharedTokens - bucket.Unsynced);
            bucket.ClockMs = now + resetAfterMs - sent.Settings.PeriodMs;
        }
    }

    /// <summary>Idle this long, the bucket is full again and can go: judged by its own group's period.</summary>
    private static long IdleAfterMs(RateLimitingOptions.BucketSettings settings) => Math.Max(60_000, settings.PeriodMs * 2);

    private void Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweepMs);
        if (now - last < 60_000 || Interlocked.CompareExchange(ref _lastSweepMs, now, last) != last) return;
        foreach (var (key, bucket) in _buckets)
        {
            if (now - Volatile.Read(ref bucket.ClockMs) > Volatile.Read(ref bucket.IdleAfterMs)) _buckets.TryRemove(key, out _);
        }
    }
}
