using System.Collections.Concurrent;
using Shop.ServiceDefaults.Security.AccountState;
using StackExchange.Redis;

namespace Shop.UserApi.Services;

/// <summary>
/// Tells every service and the gateway about a change to an account (security version, deactivation, ended
/// sessions). Around the database commit: <see cref="BeforeChangeAsync"/> makes everyone forget the account (so a
/// crash before the publication leaves them asking the database), <see cref="AfterChangeAsync"/> writes the new state
/// to Redis and publishes it. A publication Redis refuses is retried every second until it goes through.
/// </summary>
public sealed class AccountStatePublication(
    AccountStateRedis redis,
    DatabaseAccountSecuritySource states,
    TimeProvider time,
    ILogger<AccountStatePublication> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, byte> _pending = new();

    public async Task BeforeChangeAsync(Guid userId)
    {
        try
        {
            await redis.ForgetAsync(userId);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Could not make the services forget account {UserId} before a change", userId);
        }
    }

    /// <summary>Call after the commit; never throws for Redis (the publication is then retried in the background).</summary>
    public async Task AfterChangeAsync(Guid userId)
    {
        if (!await TryPublishAsync(userId))
        {
            _pending[userId] = 0;
            logger.LogWarning("Account {UserId} changed while Redis is unreachable: its publication is retried until Redis is back", userId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RetryInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var userId in _pending.Keys)
            {
                if (await TryPublishAsync(userId)) _pending.TryRemove(userId, out _);
            }
        }
    }

    private async Task<bool> TryPublishAsync(Guid userId)
    {
        try
        {
            if (await states.ReadAsync(userId, CancellationToken.None) is { } state)
            {
                await redis.WriteAsync(userId, state, publish: true);
            }
            return true;
        }
        catch (Exception ex) when (ex is RedisException or System.Data.Common.DbException or TimeoutException)
        {
            logger.LogDebug(ex, "Publishing the state of account {UserId} failed", userId);
            return false;
        }
    }
}
