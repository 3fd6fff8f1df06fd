using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.IdentityModel.JsonWebTokens;
using Shop.ServiceDefaults.Security;

namespace Shop.WebApp.Services;

/// <summary>
/// The shopper's user-api tokens, kept server-side in the auth cookie's properties (encrypted by Data Protection, keys
/// in Redis): the access token (JWT, 5 min), the refresh token (opaque, 14 days, single use) and the access token's
/// expiry (UTC, round-trip format).
/// </summary>
public sealed record SessionTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt)
{
    public const string AccessTokenName = "access_token";
    public const string RefreshTokenName = "refresh_token";
    public const string ExpiresAtName = "expires_at";

    /// <summary>HttpContext.Items key of tokens obtained during this request (sign-in, refresh), which win over the cookie's.</summary>
    public const string CurrentItem = "shop.session-tokens";

    public static SessionTokens FromLogin(string accessToken, string refreshToken, int expiresInSeconds, TimeProvider time) =>
        new(accessToken, refreshToken, time.GetUtcNow().AddSeconds(expiresInSeconds));

    public static SessionTokens? From(AuthenticationProperties? properties) =>
        properties?.GetTokenValue(AccessTokenName) is { } access
        && properties.GetTokenValue(RefreshTokenName) is { } refresh
        && DateTimeOffset.TryParse(properties.GetTokenValue(ExpiresAtName), null, System.Globalization.DateTimeStyles.RoundtripKind, out var expires)
            ? new SessionTokens(access, refresh, expires)
            : null;

    public void StoreIn(AuthenticationProperties properties) => properties.StoreTokens(
    [
        new AuthenticationToken { Name = AccessTokenName, Value = AccessToken },
        new AuthenticationToken { Name = RefreshTokenName, Value = RefreshToken },
        new AuthenticationToken { Name = ExpiresAtName, Value = ExpiresAt.ToString("o") },
    ]);

    /// <summary>The cookie's identity: the token's subject, email, name and role (read, not validated: it came from user-api).</summary>
    public ClaimsPrincipal ToPrincipal()
    {
        var jwt = new JsonWebToken(AccessToken);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, jwt.Subject) };
        if (jwt.TryGetPayloadValue<string>(ShopClaims.Email, out var email)) claims.Add(new Claim(ClaimTypes.Name, email));
        if (jwt.TryGetPayloadValue<string>(ShopClaims.Role, out var role)) claims.Add(new Claim(ClaimTypes.Role, role));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }
}
