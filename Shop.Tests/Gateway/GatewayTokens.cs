using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

/// <summary>Gateway-test helpers over the shared <see cref="TestTokens"/>: a fresh caller per call, tampering, per-request bearer.</summary>
public static class GatewayTokens
{
    /// <summary>A valid token for a new (or the given) user: each test gets its own rate-limit bucket.</summary>
    public static Task<string> CreateAsync(ShopAppFixture fixture, Guid? userId = null, string role = "customer") =>
        TestTokens.CreateAsync(fixture.App, role, userId);

    /// <summary>The same token with one character of its signature changed.</summary>
    public static string Tamper(string token)
    {
        var changed = token[^2] == 'A' ? 'B' : 'A';
        return token[..^2] + changed + token[^1];
    }

    public static HttpRequestMessage WithBearer(this HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
