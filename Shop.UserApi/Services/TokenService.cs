using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Security.AccountState;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

/// <summary>
/// What login and refresh answer. ExpiresIn and RefreshTokenExpiresIn are in seconds; the refresh token is opaque
/// and used once (<see cref="Sessions"/>).
/// </summary>
public sealed record AccessTokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshTokenExpiresIn);

public sealed record TokenValidation(bool Valid, Guid? UserId, string? Role, string? Reason);

/// <summary>
/// Issues HS256 access tokens (lifetime Jwt:AccessTokenLifetime, live) carrying the session id and the account's
/// security version, and checks tokens with the shared validation parameters plus the account check.
/// </summary>
public sealed class TokenService(IOptionsMonitor<JwtOptions> options, TimeProvider time, AccountTokenValidator accountCheck)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials =
        new(JwtAuthenticationExtensions.CreateSigningKey(options.CurrentValue), SecurityAlgorithms.HmacSha256);
    private readonly TokenValidationParameters _validation = JwtAuthenticationExtensions.CreateValidationParameters(options.CurrentValue);

    public AccessTokenResponse Issue(User user, IssuedSession session)
    {
        var jwt = options.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = jwt.AccessTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = _credentials,
            Claims = new Dictionary<string, object>
            {
                [ShopClaims.Subject] = user.Id.ToString(),
                [ShopClaims.Email] = user.Email,
                [ShopClaims.Role] = user.Role,
                [ShopClaims.SessionId] = session.SessionId.ToString(),
                [ShopClaims.SecurityVersion] = user.SecurityVersion,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
        var refreshSeconds = (int)Math.Max(0, (session.RefreshTokenExpiresAt - now).TotalSeconds);
        return new AccessTokenResponse(token, "Bearer", (int)lifetime.TotalSeconds, session.RefreshToken, refreshSeconds);
    }

    public async Task<TokenValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token)) return new(false, null, null, "The token is empty.");

        var result = await _handler.ValidateTokenAsync(token, _validation);
        if (!result.IsValid)
        {
            return new(false, null, null, result.Exception?.GetType().Name ?? "The token is invalid.");
        }

        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        if (principal.GetUserId() is not { } userId) return new(false, null, null, "The token has no user id.");

        var check = await accountCheck.CheckAsync(principal, isWrite: false, cancellationToken);
        return check.Status == AccountTokenStatus.Valid
            ? new(true, userId, principal.FindFirstValue(ShopClaims.Role), null)
            : new(false, userId, null, check.Reason);
    }
}
