using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Security.AccountState;
using Shop.UserApi.Infrastructure;
using StackExchange.Redis;

namespace Shop.UserApi.Services;

/// <summary>
/// The authority on account state: reads it from usersdb. Serves user-api's own token check on a Redis miss and the
/// AccountSecurity gRPC method every other service asks; either way the answer is written back to Redis.
/// </summary>
public sealed class DatabaseAccountSecuritySource(
    IServiceScopeFactory scopes,
    AccountStateRedis redis,
    IOptionsMonitor<JwtOptions> jwt,
    TimeProvider time,
    ILogger<DatabaseAccountSecuritySource> logger) : IAccountSecuritySource
{
    public async Task<AccountSecurityState?> LoadAsync(Guid userId, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(userId, cancellationToken);
        if (state is null) return null;
        try
        {
            await redis.WriteAsync(userId, state, publish: false);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogDebug(ex, "Could not re-populate Redis with the state of account {UserId}", userId);
        }
        return state;
    }

    /// <summary>The account's state in the database now, or null when no account has this id.</summary>
    public async Task<AccountSecurityState?> ReadAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var account = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.SecurityVersion, u.Active })
            .FirstOrDefaultAsync(cancellationToken);
        if (account is null) return null;

        // A session ended earlier than this has no access token left that could still be valid.
        var options = jwt.CurrentValue;
        var since = time.GetUtcNow() - options.AccessTokenLifetime - options.ClockSkew;
        var ended = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.RevokedAt > since)
            .Select(t => t.FamilyId)
            .Distinct()
            .ToListAsync(cancellationToken);
        return new AccountSecurityState(account.SecurityVersion, account.Active,
            ended.Count == 0 ? AccountSecurityState.NoRevokedSessions : ended.ToHashSet());
    }
}
