using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.Security.AccountState;

/// <summary>
/// Account state shared through Redis (connection string "redis"): one key per account ("version|active"), one set of
/// its recently ended sessions, and the channel on which user-api publishes every change. Its own connection, failing
/// fast: a token check never queues behind an unreachable Redis. Subscribes at start and, after any lost connection,
/// clears this process's <see cref="AccountStateCache"/> (changes published meanwhile were missed).
/// </summary>
public sealed class AccountStateRedis(
    IConfiguration configuration,
    AccountStateCache cache,
    IOptionsMonitor<AccountStateOptions> options,
    IOptionsMonitor<JwtOptions> jwt,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<AccountStateRedis> logger) : BackgroundService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("shop:account-state:changes");

    private const string ReadScript = """
        return {redis.call('GET', KEYS[1]), redis.call('SMEMBERS', KEYS[2])}
        """;

    // Never lowers the stored version: a late writer holding an older state cannot undo a change.
    private const string WriteScript = """
        local current = redis.call('GET', KEYS[1])
        local stored = current and tonumber(string.match(current, '^%d+')) or -1
        if tonumber(ARGV[1]) >= stored then
          redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
        end
        if #ARGV > 4 then
          redis.call('SADD', KEYS[2], unpack(ARGV, 5))
          redis.call('PEXPIRE', KEYS[2], ARGV[4])
        end
        return 1
        """;

    private ConnectionMultiplexer? _connection;
    private volatile bool _subscribed;

    /// <summary>Whether changes reach this process now: connected and subscribed to the change channel.</summary>
    public bool IsLive => _subscribed && _connection is { } connection && connection.GetSubscriber().IsConnected(Channel);

    /// <summary>The account's state as Redis holds it, or null when Redis does not know it. Throws when Redis is unreachable.</summary>
    public async Task<AccountSecurityState?> ReadAsync(Guid userId)
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(ReadScript, [StateKey(userId), SessionsKey(userId)]))!;
        if (result[0].IsNull) return null;
        var sessions = ((RedisValue[])result[1]!).Select(v => Guid.Parse(v.ToString())).ToHashSet();
        return ParseState((string)result[0]!, sessions);
    }

    /// <summary>
    /// Writes an account's current state and publishes it (user-api, after a change or when filling a miss); every
    /// process merges it into its cache at once. Throws when Redis is unreachable.
    /// </summary>
    public async Task WriteAsync(Guid userId, AccountSecurityState state, bool publish)
    {
        var sessionTtl = jwt.CurrentValue.AccessTokenLifetime + jwt.CurrentValue.ClockSkew;
        RedisValue[] args =
        [
            state.SecurityVersion,
            state.Active ? 1 : 0,
            (long)options.CurrentValue.SharedTtl.TotalMilliseconds,
            (long)sessionTtl.TotalMilliseconds,
            .. state.RevokedSessions.Select(s => (RedisValue)s.ToString("N")),
        ];
        var database = Database;
        await database.ScriptEvaluateAsync(WriteScript, [StateKey(userId), SessionsKey(userId)], args);
        if (publish) await database.PublishAsync(Channel, FormatChange(userId, state));
    }

    /// <summary>
    /// Before user-api commits a change: forgets the account's state in Redis and in every process, so if user-api
    /// dies before it writes the new state, the next check reads it from the database instead of trusting the old one.
    /// </summary>
    public async Task ForgetAsync(Guid userId)
    {
        var database = Database;
        await database.KeyDeleteAsync(StateKey(userId));
        await database.PublishAsync(Channel, userId.ToString("N") + "|forget");
    }

    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Connects and subscribes before the service takes requests (waiting up to 15 s), so it does not start by refusing
    /// writes; if Redis is not there yet, the subscription goes on in the background.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = configuration.GetConnectionString(ShopResources.Redis)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{ShopResources.Redis} is required: the token check reads account state from Redis (the AppHost passes it with WithReference(redis)).");
        var config = ConfigurationOptions.Parse(connectionString).UseFailFast(commandTimeout: TimeSpan.FromSeconds(1));
        config.ClientName = environment.ApplicationName + ":account-state";

        _connection = await ConnectionMultiplexer.ConnectAsync(config);
        _connection.ConnectionFailed += (_, e) =>
            logger.LogWarning("Account-state channel lost ({ConnectionType}, {FailureType}): writes are refused until it is back",
                e.ConnectionType, e.FailureType);
        _connection.ConnectionRestored += (_, e) =>
        {
            cache.Clear();
            logger.LogInformation("Account-state channel restored ({ConnectionType}): the local account-state cache was cleared", e.ConnectionType);
        };

        using var startupWait = new CancellationTokenSource(StartupWait, time);
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, startupWait.Token);
        try
        {
            await SubscribeAsync(startup.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Not subscribed to account changes after {Wait}: starting anyway, refusing writes until subscribed", StartupWait);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => SubscribeAsync(stoppingToken);

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        while (!_subscribed)
        {
            try
            {
                var queue = await _connection!.GetSubscriber().SubscribeAsync(Channel);
                queue.OnMessage(message => Apply(message.Message));
                cache.Clear();
                _subscribed = true;
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                logger.LogDebug(ex, "Cannot subscribe to the account-state channel yet; retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_connection is not null) await _connection.DisposeAsync();
    }

    private IDatabase Database => (_connection ?? throw new RedisException("The account-state connection is not open yet.")).GetDatabase();

    private void Apply(RedisValue message)
    {
        var text = message.ToString();
        var parts = text.Split('|');
        if (parts.Length < 2 || !Guid.TryParseExact(parts[0], "N", out var userId))
        {
            logger.LogWarning("Ignored a malformed account-state message");
            return;
        }
        if (parts[1] == "forget")
        {
            cache.Remove(userId);
            return;
        }
        var sessions = parts.Length > 3 && parts[3].Length > 0
            ? parts[3].Split(',').Select(s => Guid.ParseExact(s, "N")).ToHashSet()
            : AccountSecurityState.NoRevokedSessions;
        cache.Merge(userId, ParseState($"{parts[1]}|{parts[2]}", sessions));
    }

    private static string FormatChange(Guid userId, AccountSecurityState state) =>
        string.Join('|', userId.ToString("N"), state.SecurityVersion.ToString(CultureInfo.InvariantCulture), state.Active ? "1" : "0",
            string.Join(',', state.RevokedSessions.Select(s => s.ToString("N"))));

    private static AccountSecurityState ParseState(string value, IReadOnlySet<Guid> sessions)
    {
        var separator = value.IndexOf('|');
        return new AccountSecurityState(
            long.Parse(value.AsSpan(0, separator), CultureInfo.InvariantCulture),
            value.AsSpan(separator + 1) is "1",
            sessions.Count == 0 ? AccountSecurityState.NoRevokedSessions : sessions);
    }

    private static RedisKey StateKey(Guid userId) => "shop:account-state:" + userId.ToString("N");

    private static RedisKey SessionsKey(Guid userId) => "shop:account-state:" + userId.ToString("N") + ":ended-sessions";
}
