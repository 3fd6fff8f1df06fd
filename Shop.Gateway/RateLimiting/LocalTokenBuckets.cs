using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// This gateway process's view of the callers' token buckets: a request is decided here, without a network call,
/// once its bucket has been synced with Redis. Tokens granted here stay unsynced until <see cref="EdgeRateLimiter"/>
/// sends them to the shared bucket and replaces the view with Redis's answer, less what was granted meanwhile.
/// <list type="bullet">
/// <item>A bucket new to this process syncs before its first grant, so a gateway that restarts or sweeps an idle
/// bucket does not start it full again.</item>
/// <item>One sync per bucket is in flight at a time; requests that need one wait for it.</item>
/// <item>A view lacks only the other replicas' grants since its sync, and refills no later than Redis does, so it is
/// never below the shared bucket: a refusal here is always right.</item>
/// <item>A bucket holds at most <see cref="MaxUnsynced"/> grants Redis has not counted (sent or not): past that, a
/// request waits for a sync. So another replica admits at most about that many too many before it hears of them.</item>
/// </list>
/// Idle buckets are swept.
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
        internal long InFlight;
        internal bool Synced;
        internal bool Queued;
        internal Task? Sync;
        internal RateLimitingOptions.BucketSettings Settings = new();
    }

    /// <summary>A bucket's grants sent to Redis in one sync, and this process's clock when they were taken (ms).</summary>
    public readonly record struct UnsyncedGrants(Bucket Bucket, long Taken, long TakenAtMs, RateLimitingOptions.BucketSettings Settings);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    private readonly Channel<Bucket> _toSync = Channel.CreateUnbounded<Bucket>(new() { SingleReader = true });
    private long _lastSweepMs;

    /// <summary>Grants a bucket may hold that Redis has not counted: a tenth of its limit, at least one.</summary>
    public static long MaxUnsynced(RateLimitingOptions.BucketSettings settings) => Math.Max(1, settings.TokenLimit / 10);

    public Bucket BucketFor(string key, RateLimitingOptions.BucketSettings settings)
    {
        var now = NowMs();
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
    /// Takes one token if the bucket has one. Returns null instead of granting while the bucket has never been synced
    /// or holds <see cref="MaxUnsynced"/> uncounted grants: sync it (<see cref="TryTakeUnsynced"/>), then ask again;
    /// <paramref name="evenIfUnsynced"/> decides from the view as it is. A lowered limit applies at once: the bucket
    /// never holds more than it.
    /// </summary>
    public RateLimitDecision? TryAcquire(Bucket bucket, RateLimitingOptions.BucketSettings settings, bool evenIfUnsynced = false)
    {
        var now = NowMs();
        lock (bucket)
        {
            bucket.Settings = settings;
            Volatile.Write(ref bucket.IdleAfterMs, IdleAfterMs(settings));
            (bucket.Tokens, bucket.ClockMs) = TokenBucket.Replenish(Math.Min(bucket.Tokens, settings.TokenLimit), bucket.ClockMs, now, settings);
            var allowed = bucket.Tokens >= 1;
            if (allowed && !evenIfUnsynced && (!bucket.Synced || bucket.Unsynced + bucket.InFlight >= MaxUnsynced(settings))) return null;
            if (allowed)
            {
                bucket.Tokens--;
                bucket.Unsynced++;
                Enqueue(bucket);
            }
            var resetMs = bucket.ClockMs + settings.PeriodMs - now;
            return new RateLimitDecision(allowed, bucket.Tokens, TimeSpan.FromMilliseconds(Math.Max(0, resetMs)), settings.TokenLimit);
        }
    }

    /// <summary>Completes when some bucket has grants to sync; throws <see cref="OperationCanceledException"/> on stop.</summary>
    public ValueTask<bool> WaitForUnsyncedAsync(CancellationToken cancellationToken) => _toSync.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>
    /// The grants of every queued bucket that has no sync in flight, counted as in flight until
    /// <paramref name="completion"/> completes (a bucket with one in flight is queued again when it is answered).
    /// </summary>
    public List<UnsyncedGrants> TakeUnsynced(Task completion)
    {
        var batch = new List<UnsyncedGrants>();
        while (_toSync.Reader.TryRead(out var bucket))
        {
            lock (bucket)
            {
                bucket.Queued = false;
                if (TryTakeUnsynced(bucket, completion, out _) is { } grants) batch.Add(grants);
            }
        }
        return batch;
    }

    /// <summary>
    /// One bucket's grants, counted as in flight until <paramref name="completion"/> completes; null when a sync of it
    /// is already in flight, which <paramref name="inFlight"/> then completes with.
    /// </summary>
    public UnsyncedGrants? TryTakeUnsynced(Bucket bucket, Task completion, out Task? inFlight)
    {
        lock (bucket)
        {
            inFlight = bucket.Sync;
            if (inFlight is not null) return null;
            var grants = new UnsyncedGrants(bucket, bucket.Unsynced, NowMs(), bucket.Settings);
            bucket.InFlight = bucket.Unsynced;
            bucket.Unsynced = 0;
            bucket.Sync = completion;
            return grants;
        }
    }

    /// <summary>
    /// Replaces the view with the shared bucket as Redis answered a sync (tokens left, milliseconds until its next
    /// refill), less what this process granted since. The refill is counted from when the grants were taken, so the
    /// view never refills later than Redis.
    /// </summary>
    public void ApplyShared(UnsyncedGrants sent, long sharedTokens, long resetAfterMs)
    {
        var bucket = sent.Bucket;
        lock (bucket)
        {
            bucket.Tokens = Math.Max(0, sharedTokens - bucket.Unsynced);
            bucket.ClockMs = sent.TakenAtMs + resetAfterMs - sent.Settings.PeriodMs;
            EndSync(bucket);
        }
    }

    /// <summary>Redis did not answer: the grants sent are dropped and the view decides alone until a sync succeeds.</summary>
    public void SyncFailed(UnsyncedGrants sent)
    {
        lock (sent.Bucket) EndSync(sent.Bucket);
    }

    private void EndSync(Bucket bucket)
    {
        bucket.InFlight = 0;
        bucket.Sync = null;
        bucket.Synced = true;
        if (bucket.Unsynced > 0) Enqueue(bucket);
    }

    private void Enqueue(Bucket bucket)
    {
        if (!bucket.Queued) bucket.Queued = _toSync.Writer.TryWrite(bucket);
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Idle this long, the bucket goes; it syncs again before its next grant.</summary>
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
