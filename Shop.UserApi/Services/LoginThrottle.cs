using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.UserApi.Services;

public sealed class LoginThrottlingOptions
{
    public const string SectionName = "LoginThrottling";

    public int MaxFailures { get; set; } = 5;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Counts failed logins per email in Redis (shared by every replica): after MaxFailures within Window, logins for that
/// email are refused until the window started by the first failure ends. Fails open when Redis is unreachable, so an
/// outage of the cache does not lock everybody out.
/// </summary>
public sealed class LoginThrottle(IConnectionMultiplexer redis, IOptionsMonitor<LoginThrottlingOptions> options, ILogger<LoginThrottle> logger)
{
    private const string RecordFailureScript = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return n
        """;

    private const string ReadScript = """
        local n = redis.call('GET', KEYS[1])
        if not n then return {0, 0} end
        return {tonumber(n), redis.call('PTTL', KEYS[1])}
        """;

    public async Task<TimeSpan?> GetRetryAfterAsync(string normalizedEmail)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ReadScript, [Key(normalizedEmail)]))!;
            var failures = (long)result[0];
            var ttlMs = (long)result[1];
            if (failures < options.CurrentValue.MaxFailures) return null;
            return ttlMs > 0 ? TimeSpan.FromMilliseconds(ttlMs) : options.CurrentValue.Window;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Login throttling unavailable (Redis): allowing the attempt");
            return null;
        }
    }

    public async Task RecordFailureAsync(string normalizedEmail)
    {
        try
        {
            var windowMs = (long)options.CurrentValue.Window.TotalMilliseconds;
            await redis.GetDatabase().ScriptEvaluateAsync(RecordFailureScript, [Key(normalizedEmail)], [windowMs]);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Could not record a failed login (Redis)");
        }
    }

    public async Task ResetAsync(string normalizedEmail)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Key(normalizedEmail), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Could not reset failed logins (Redis)");
        }
    }

    // Hashed so Redis holds no email addresses.
    private static RedisKey Key(string normalizedEmail) =>
        "shop:users:login-failures:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));
}
