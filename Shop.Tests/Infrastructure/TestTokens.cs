using System.IdentityModel.Tokens.Jwt;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Access tokens as UserApi issues them (HS256 with the AppHost's jwt-signing-key, issuer shop-user-api, audience
/// shop, claims sub/email/role), so a test can act as an admin or a customer without going through sign-in.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "shop-user-api";
    public const string Audience = "shop";

    public static async Task<string> CreateAsync(DistributedApplication app, string role, Guid? userId = null, string? email = null,
        TimeSpan? lifetime = null)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var signingKey = await model.Resources.OfType<ParameterResource>().Single(r => r.Name == "jwt-signing-key").GetValueAsync(default)
            ?? throw new InvalidOperationException("The jwt-signing-key parameter has no value.");

        var id = userId ?? Guid.NewGuid();
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(
            issuer: Issuer,
            audience: Audience,
            claims: [new Claim("sub", id.ToString()), new Claim("email", email ?? $"{role}-{id:N}@tests.shop.local"), new Claim("role", role)],
            notBefore: now.AddSeconds(-5),
            expires: now + (lifetime ?? TimeSpan.FromHours(1)),
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public static Task<string> AdminAsync(DistributedApplication app) => CreateAsync(app, "admin");

    public static Task<string> CustomerAsync(DistributedApplication app) => CreateAsync(app, "customer");

    /// <summary>Sets the client's default Authorization header to a bearer token.</summary>
    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
