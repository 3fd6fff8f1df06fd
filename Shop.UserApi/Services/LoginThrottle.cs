using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.UserApi.Services;

public sealed class LoginThrottlingOptions
{
    public const string SectionName = "LoginThrottling";

    /// <summary>Failures from one client for one account answered without delay.</summary>
    public int FreeFailures { get; set; } = 3;

    /// <summary>The delay after the first failure past the free ones; doubled by each further failure.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long failures are remembered after the last one.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Progressive delay per account and client (OWASP Authentication Cheat Sheet, "Login Throttling"): failed logins are
/// counted in Redis (shared by every replica) per normalized email and client address; past FreeFailures each failure
/// refuses that client's next attempts for that account for BaseDelay·2^(n−FreeFailures), at most MaxDelay. Failures
/// from one client never delay another client, so nobody can lock an account out; a brute force from one client
/// slows down exponentially, and the gateway's per-client "login" rate limit bounds what any one client can try.
/// Fails open when Redis is unreachable, so an outage of the cache does not lock everybody out.
/// </summary>
public sealed class LoginThrottle(IConnectionMultiplexer redis, IOptionsMonitor<LoginThrottlingOptions> options, TimeProvider time,
    ILogger<LoginThrottle> logger)
{
    private const string RecordFailureScript = """
        local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
        local free = tonumber(ARGV[1])
        local delay = 0
        if n >= free then delay = math.min(tonumber(ARGV[2]) * 2 ^ (n - free), tonumber(ARGV[3])) end
        redis.call('HSET', KEYS[1], 'until', tonumber(ARGV[4]) + delay)
        redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[5]), delay))
        return math.floor(delay)
        """;

    /// <summary>How long this client must wait before trying this account again, or null when it may try now.</summary>
    public async Task<TimeSpan?> GetRetryAfterAsync(string normalizedEmail, IPAddress? client)
    {
        try
        {
            var until = await redis.GetDatabase().HashGetAsync(Key(normalizedEmail, client), "until");
            if (until.IsNull) return null;
            var wait = (long)until - time.GetUtcNow().ToUnixTimeMilliseconds();
            return wait > 0 ? TimeSpan.FromMilliseconds(wait) : null;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Login throttling unavailable (Redis): allowing the attempt");
            return null;
        }
    }

    public async Task RecordFailureAsync(string normalizedEmail, IPAddress? client)
    {
        try
        {
            var settings = options.CurrentValue;
            await redis.GetDatabase().ScriptEvaluateAsync(RecordFailureScript, [Key(normalizedEmail, client)],
            [
                settings.FreeFailures,
                (long)settings.BaseDelay.TotalMilliseconds,
                (long)settings.MaxDelay.TotalMilliseconds,
                time.GetUtcNow().ToUnixTimeMilliseconds(),
                (long)settings.Window.TotalMilliseconds,
            ]);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Could not record a failed login (Redis)");
        }
    }

    public async Task ResetAsync(string normalizedEmail, IPAddress? client)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Key(normalizedEmail, client), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Could not reset failed logins (Redis)");
        }
    }

    // Hashed so Redis holds no email or client addresses.
    private static RedisKey Key(string normalizedEmail, IPAddress? client)
    {
        var address = client is null ? "unknown"
            : (client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).ToString();
        var material = Encoding.UTF8.GetBytes(normalizedEmail + "\n" + address);
        return "shop:users:login-failures:" + Convert.ToHexString(SHA256.HashData(material)).ToLower(CultureInfo.InvariantCulture);
    }
}
