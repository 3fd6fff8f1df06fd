using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.Security.AccountState;

public enum AccountTokenStatus
{
    Valid,
    /// <summary>The token no longer speaks for its account (changed, deactivated, session ended, unknown): 401.</summary>
    Rejected,
    /// <summary>The account's current state cannot be established now (Redis down for a write, user-api unreachable): 503.</summary>
    Unavailable,
}

public readonly record struct AccountTokenCheck(AccountTokenStatus Status, string? Reason)
{
    public static readonly AccountTokenCheck Valid = new(AccountTokenStatus.Valid, null);
}

/// <summary>
/// The one check, run by every service and the gateway on every authenticated request after the signature and
/// lifetime: the token's <c>sstamp</c> must equal the account's current security version, the account must be active
/// and the token's session (<c>sid</c>) must not have ended. Steady state costs no remote call: the process's cache
/// is kept fresh by user-api's Redis channel; a miss reads Redis once, and a Redis miss asks user-api.
/// While Redis is unreachable (changes could be missed) writes are refused with 503; reads use the last known state.
/// </summary>
public sealed class AccountTokenValidator(
    AccountStateCache cache,
    AccountStateRedis redis,
    IAccountSecuritySource source,
    ILogger<AccountTokenValidator> logger)
{
    public async ValueTask<AccountTokenCheck> CheckAsync(ClaimsPrincipal principal, bool isWrite, CancellationToken cancellationToken)
    {
        if (principal.GetUserId() is not { } userId
            || !long.TryParse(principal.FindFirst(ShopClaims.SecurityVersion)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || !Guid.TryParse(principal.FindFirst(ShopClaims.SessionId)?.Value, out var sessionId))
        {
            return Rejected("The token carries no account session (sub, sid, sstamp).");
        }
        if (isWrite && !redis.IsLive) return Unavailable("Account changes cannot be received right now.");

        var state = cache.Get(userId);
        // A newer version than known: the change may not have reached this process yet, so ask again.
        if (state is null || version > state.SecurityVersion)
        {
            var (loaded, available) = await LoadAsync(userId, cancellationToken);
            // A shared load may have started before the change this token already carries: read once more, alone.
            if (available && loaded is not null && version > loaded.SecurityVersion)
            {
                (loaded, available) = await ReadStateAsync(userId, cancellationToken);
            }
            if (!available) return Unavailable("The account's state cannot be read right now.");
            if (loaded is null) return Rejected("The token's account does not exist.");
            state = loaded;
        }

        if (!state.Active) return Rejected("The account is deactivated.");
        if (version != state.SecurityVersion) return Rejected("The account changed after the token was issued.");
        if (state.RevokedSessions.Contains(sessionId)) return Rejected("The token's session has ended.");
        return AccountTokenCheck.Valid;
    }

    private readonly ConcurrentDictionary<Guid, Task<(AccountSecurityState? State, bool Available)>> _loads = new();

    /// <summary>
    /// One load per account at a time: a burst of requests for an account this process does not know yet (a new
    /// session's first calls, or every account after a lost Redis connection) waits for one answer instead of sending
    /// one Redis read and one user-api call each.
    /// </summary>
    private Task<(AccountSecurityState? State, bool Available)> LoadAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (_loads.TryGetValue(userId, out var running)) return running.WaitAsync(cancellationToken);
        var load = new TaskCompletionSource<(AccountSecurityState?, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_loads.TryAdd(userId, load.Task)) return LoadAsync(userId, cancellationToken);
        _ = CompleteLoadAsync(userId, load);
        return load.Task.WaitAsync(cancellationToken);
    }

    // Not tied to the first caller's cancellation: the others wait for the same answer.
    private async Task CompleteLoadAsync(Guid userId, TaskCompletionSource<(AccountSecurityState?, bool)> load)
    {
        try
        {
            load.SetResult(await ReadStateAsync(userId, CancellationToken.None));
        }
        catch (Exception ex)
        {
            load.SetException(ex);
        }
        finally
        {
            _loads.TryRemove(new KeyValuePair<Guid, Task<(AccountSecurityState? State, bool Available)>>(userId, load.Task));
        }
    }

    private async Task<(AccountSecurityState? State, bool Available)> ReadStateAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (redis.IsLive)
        {
            try
            {
                if (await redis.ReadAsync(userId) is { } shared) return (cache.Merge(userId, shared), true);
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                logger.LogWarning(ex, "Reading account state from Redis failed; asking user-api");
            }
        }

        try
        {
            return await source.LoadAsync(userId, cancellationToken) is { } authoritative
                ? (cache.Merge(userId, authoritative), true)
                : (null, true);
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or RedisException or TimeoutException
                                   && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "user-api could not give the state of account {UserId}", userId);
            return (null, false);
        }
    }

    private static AccountTokenCheck Rejected(string reason) => new(AccountTokenStatus.Rejected, reason);

    private static AccountTokenCheck Unavailable(string reason) => new(AccountTokenStatus.Unavailable, reason);
}
