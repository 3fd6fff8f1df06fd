using System.Net.Http.Headers;
using System.Text;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Errors;

/// <summary>Raw requests through the gateway, each as its own caller (a fresh token: its own rate-limit bucket).</summary>
public sealed class GatewayRequests(ShopAppFixture fixture) : IDisposable
{
    public HttpClient Gateway { get; } = fixture.CreateHttpClient(ShopResources.Gateway);

    public Task<string> CustomerTokenAsync() => TestTokens.CustomerAsync(fixture.App);

    public Task<string> AdminTokenAsync() => TestTokens.AdminAsync(fixture.App);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string? body = null,
        string contentType = "application/json", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add(ShopHeaders.IdempotencyKey, idempotencyKey);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }
        return await Gateway.SendAsync(request);
    }

    public void Dispose() => Gateway.Dispose();
}
