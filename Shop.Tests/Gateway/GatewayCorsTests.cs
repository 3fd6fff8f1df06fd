using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

[Collection(ShopCollection.Name)]
public sealed class GatewayCorsTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task Configured_origins_get_cors_answers_and_others_do_not()
    {
        // The setting as a deployment gives it (an environment variable), on a gateway process of its own.
        await using var gateway = await GatewayProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["Gateway__Cors__AllowedOrigins__0"] = "http://shop.example",
        });
        using var client = gateway.CreateHttpClient();

        using var allowed = await client.SendAsync(Preflight("http://shop.example"));
        using var refused = await client.SendAsync(Preflight("http://evil.example"));
        using var defaultGateway = fixture.CreateHttpClient(ShopResources.Gateway);
        using var notConfigured = await defaultGateway.SendAsync(Preflight("http://shop.example"));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("http://shop.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(notConfigured.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/orders");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}
