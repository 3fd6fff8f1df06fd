using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Security;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

public sealed record AccessTokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public sealed record TokenValidation(bool Valid, Guid? UserId, string? Role, string? Reason);

/// <summary>Issues HS256 access tokens and checks them with the shared validation parameters plus the user's state.</summary>
public sealed class TokenService(IOptions<JwtOptions> options, TimeProvider time, IServiceScopeFactory scopes)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials =
        new(JwtAuthenticationExtensions.CreateSigningKey(options.Value), SecurityAlgorithms.HmacSha256);
    private readonly TokenValidationParameters _validation = JwtAuthenticationExtensions.CreateValidationParameters(options.Value);

    public AccessTokenResponse Issue(User user)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = options.Value.AccessTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = _credentials,
            Claims = new Dictionary<string, object>
            {
                [ShopClaims.Subject] = user.Id.ToString(),
                [ShopClaims.Email] = user.Email,
                [ShopClaims.Role] = user.Role,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
        return new AccessTokenResponse(token, "Bearer", (int)lifetime.TotalSeconds);
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

        await using var scope = scopes.CreateAsyncScope();
        var activeUsers = scope.ServiceProvider.GetRequiredService<IActiveUserCheck>();
        if (!await activeUsers.IsActiveAsync(userId, cancellationToken))
        {
            return new(false, userId, null, "The user is not active.");
        }
        return new(true, userId, principal.FindFirstValue(ShopClaims.Role), null);
    }
}
