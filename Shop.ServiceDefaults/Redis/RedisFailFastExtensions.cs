using StackExchange.Redis;

namespace Shop.ServiceDefaults.Redis;

/// <summary>How every Shop Redis client behaves while Redis is down: it refuses at once instead of queueing.</summary>
public static class RedisFailFastExtensions
{
    /// <summary>A connect attempt gives up after this long, in milliseconds (the client's default is 5,000).</summary>
    public const int ConnectTimeoutMs = 2000;

    /// <summary>
    /// While disconnected, a command throws <see cref="RedisConnectionException"/> at once (<see cref="BacklogPolicy.FailFast"/>)
    /// rather than waiting in the backlog for the connection (the client's default held every request that touched
    /// Redis for 5 s while it was down); the client starts without Redis and reconnects in the background; a connect
    /// attempt gives up after <see cref="ConnectTimeoutMs"/>.
    /// </summary>
    /// <param name="commandTimeout">
    /// When set, a command on a connected but silent Redis gives up after it (async and sync). Null keeps the client's
    /// 5 s: for a store whose writes are not idempotent, a write refused early may still be applied afterwards.
    /// </param>
    public static ConfigurationOptions UseFailFast(this ConfigurationOptions options, TimeSpan? commandTimeout)
    {
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = ConnectTimeoutMs;
        if (commandTimeout is { } timeout)
        {
            options.AsyncTimeout = options.SyncTimeout = (int)timeout.TotalMilliseconds;
        }
        return options;
    }
}
