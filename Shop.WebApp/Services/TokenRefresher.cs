using System.Collections.Concurrent;
using Shop.WebApp.Clients;
using Shop.WebApp.Clients.Users;

namespace Shop.WebApp.Services;

/// <summary>
/// Exchanges a refresh token for a new pair (POST /api/users/refresh through the gateway). A refresh token works once
/// (reuse revokes the session), so concurrent requests of one browser share one exchange: the first does it, the others
/// wait for it and get its result for a minute afterwards. Returns null when user-api refuses (session over).
/// </summary>
public sealed class TokenRefresher(IServiceScopeFactory scopes, TimeProvider time, ILogger<TokenRefresher> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SessionTokens?>>> _inFlight = new(StringComparer.Ordinal);

    public Task<SessionTokens?> RefreshAsync(string refreshToken)
    {
        var exchange = _inFlight.GetOrAdd(refreshToken, token => new Lazy<Task<SessionTokens?>>(() => ExchangeAsync(token)));
        return exchange.Value;
    }

    private async Task<SessionTokens?> ExchangeAsync(string refreshToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UsersClient>();
            var pair = await users.RefreshTokenAsync(new RefreshTokenRequest { RefreshToken = refreshToken });
            return SessionTokens.FromLogin(pair.AccessToken, pair.RefreshToken, pair.ExpiresIn, time);
        }
        catch (ApiException e) when (e.StatusCode is 400 or 401 or 403)
        {
            return null;
        }
        finally
        {
            _ = ForgetLaterAsync(refreshToken);
        }
    }

    private async Task ForgetLaterAsync(string refreshToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), time);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Refresh result kept until the next exchange.");
        }
        _inFlight.TryRemove(refreshToken, out _);
    }
}
