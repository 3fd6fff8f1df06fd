using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

/// <summary>
/// Mints HS256 tokens with the app's generated jwt-signing-key, as UserApi issues them (iss shop-user-api, aud shop,
/// sub, email, role), so the gateway's rules can be tested for any caller without going through registration.
/// </summary>
public static class GatewayTokens
{
    public static async Task<string> CreateAsync(ShopAppFixture fixture, Guid? userId = null, string role = "customer",
        TimeSpan? lifetime = null)
    {
        var key = await fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == "jwt-signing-key").GetValueAsync(default);
        var now = DateTimeOffset.UtcNow;
        var sub = (userId ?? Guid.NewGuid()).ToString();
        var payload = new Dictionary<string, object>
        {
            ["sub"] = sub,
            ["email"] = $"{sub}@tests.shop.local",
            ["role"] = role,
            ["iss"] = "shop-user-api",
            ["aud"] = "shop",
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime ?? TimeSpan.FromMinutes(30)).ToUnixTimeSeconds(),
        };
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key!), Encoding.ASCII.GetBytes($"{header}.{body}")));
        return $"{header}.{body}.{signature}";
    }

    /// <summary>The same token with one character of its signature changed.</summary>
    public static string Tamper(string token)
    {
        var last = token[^2];
        return token[..^2] + (last == 'A' ? 'B' : 'A') + token[^1];
    }

    public static HttpRequestMessage WithBearer(this HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
