using System.Collections.Concurrent;
using Shop.WebApp.Clients;
using Shop.WebApp.Clients.Users;

namespace Shop.WebApp.Services;

/// <summary>
/// Exchanges a refresh token for a new pair (POST /api/users/refresh through the gateway). A refresh token works once
/// (reuse revokes the session), so concurrent requests of one browser share one exchange: the first does it, the others
/// wait for it and get its result for the access token's lifetime (5 min) afterwards, which is also how a request whose
/// page had already streamed its headers hands the new pair to the next request's cookie (<see cref="TryGetCompleted"/>).
/// Returns null when user-api refuses (session over).
/// </summary>
public sealed class TokenRefresher(IServiceScopeFactory scopes, TimeProvider time, ILogger<TokenRefresher> logger)
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Lazy<Task<SessionTokens?>>> _inFlight = new(StringComparer.Ordinal);

    public Task<SessionTokens?> RefreshAsync(string refreshToken)
    {
        var exchange = _inFlight.GetOrAdd(refreshToken, token => new Lazy<Task<SessionTokens?>>(() => ExchangeAsync(token)));
        return exchange.Value;
    }

    /// <summary>
    /// Whether an exchange of <paramref name="refreshToken"/> already finished (no call to user-api): then
    /// <paramref name="renewed"/> is the pair it gave, or null if user-api refused it (the session is over).
    /// </summary>
    public bool TryGetCompleted(string refreshToken, out SessionTokens? renewed)
    {
        renewed = null;
        if (!_inFlight.TryGetValue(refreshToken, out var exchange) || !exchange.IsValueCreated || !exchange.Value.IsCompletedSuccessfully)
        {
            return false;
        }
        renewed = exchange.Value.Result;
        return true;
    }

    private async Task<SessionTokens?> ExchangeAsync(string refreshToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UsersClient>();
            var pair = await users.RefreshTokenAsync(new RefreshTokenRequest { RefreshToken = refreshToken });
            _ = ForgetLaterAsync(refreshToken);
            return SessionTokens.FromLogin(pair.AccessToken, pair.RefreshToken, pair.ExpiresIn, time);
        }
        catch (ApiException e) when (e.StatusCode is 400 or 401 or 403)
        {
            _ = ForgetLaterAsync(refreshToken);
            return null;
        }
        catch
        {
            // No answer (user-api or the gateway unreachable, 429, 5xx) is not a refusal: the next request tries again.
            _inFlight.TryRemove(refreshToken, out _);
            throw;
        }
    }

    private async Task ForgetLaterAsync(string refreshToken)
    {
        try
        {
            await Task.Delay(Retention, time);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Refresh result kept until the next exchange.");
        }
        _inFlight.TryRemove(refreshToken, out _);
    }
}
