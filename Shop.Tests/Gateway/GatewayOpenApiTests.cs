using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

[Collection(ShopCollection.Name)]
public sealed class GatewayOpenApiTests(ShopAppFixture fixture)
{
    [Theory]
    [InlineData("users", "/api/users")]
    [InlineData("products", "/api/products")]
    [InlineData("orders", "/api/orders")]
    [InlineData("notifications", "/api/notifications")]
    [InlineData("basket", "/api/basket")]
    public async Task Each_services_document_is_served_pointing_at_the_gateway(string document, string pathPrefix)
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);

        using var response = await client.GetAsync($"/openapi/{document}.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        Assert.Contains(root.GetProperty("paths").EnumerateObject(), path => path.Name.StartsWith(pathPrefix, StringComparison.Ordinal));
        Assert.Equal(client.BaseAddress!.GetLeftPart(UriPartial.Authority),
            root.GetProperty("servers")[0].GetProperty("url").GetString());
        Assert.Equal("bearer", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task Docs_is_one_scalar_ui_listing_every_service()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);

        using var response = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var document in new[] { "users", "products", "orders", "notifications", "basket" })
        {
            Assert.Contains($"openapi/{document}.json", html);
        }
        Assert.Contains("\"preferredSecurityScheme\":[\"Bearer\"]", html);
        // The UI is served by the gateway itself (no CDN: it must work offline).
        using var script = await client.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
