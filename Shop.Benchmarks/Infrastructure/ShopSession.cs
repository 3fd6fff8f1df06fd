using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Benchmarks.Infrastructure;

/// <summary>
/// A logged-in customer whose access token stays valid for a run of any length: renewed before it expires (by its
/// expiresIn) with POST /api/users/refresh when the login gave a refreshToken (which rotates it), else by logging in
/// again. Thread-safe; one renewal at a time.
/// </summary>
public sealed class ShopSession(string email, string password, TokenGrant grant, TimeProvider timeProvider)
{
    private readonly SemaphoreSlim _renewal = new(1, 1);
    private volatile TokenGrant _grant = grant;

    public string Email => email;

    /// <summary>The current token without a renewal check (for reports and one-off calls).</summary>
    public string CurrentAccessToken => _grant.AccessToken;

    public static async Task<ShopSession> LoginAsync(HttpClient http, string email, string password, CancellationToken cancellationToken,
        TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        return new ShopSession(email, password, await ShopAccounts.LoginForGrantAsync(http, email, password, time, cancellationToken), time);
    }

    /// <summary>A valid access token, renewed first when most of its lifetime has passed.</summary>
    public async ValueTask<string> AccessTokenAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var current = _grant;
        if (!current.NeedsRenewal(timeProvider.GetUtcNow())) return current.AccessToken;
        await _renewal.WaitAsync(cancellationToken);
        try
        {
            if (_grant.NeedsRenewal(timeProvider.GetUtcNow())) _grant = await RenewAsync(http, _grant, cancellationToken);
            return _grant.AccessToken;
        }
        finally
        {
            _renewal.Release();
        }
    }

    /// <summary>The token was refused (401): renew it before the next request.</summary>
    public void Expire() => _grant = _grant with { ExpiresAt = _grant.IssuedAt };

    private async Task<TokenGrant> RenewAsync(HttpClient http, TokenGrant expiring, CancellationToken cancellationToken)
    {
        if (expiring.RefreshToken is { } refreshToken)
        {
            using var response = await http.PostAsJsonAsync("/api/users/refresh", new { refreshToken }, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                var renewed = TokenGrant.Parse(body, timeProvider.GetUtcNow());
                // A refresh answer without a new refresh token keeps the old one usable.
                return renewed.RefreshToken is null ? renewed with { RefreshToken = refreshToken } : renewed;
            }
            if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.NotFound))
            {
                throw new InvalidOperationException($"Refreshing the token of {email} failed: {(int)response.StatusCode}");
            }
            // A revoked or already rotated refresh token: log in again, as a client would.
        }
        return await ShopAccounts.LoginForGrantAsync(http, email, password, timeProvider, cancellationToken);
    }
}
