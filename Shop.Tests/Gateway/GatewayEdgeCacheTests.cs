using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

[Collection(ShopCollection.Name)]
public sealed class GatewayEdgeCacheTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task Public_product_reads_are_edge_cached_and_a_write_through_the_gateway_is_visible_at_once()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);
        using var list = await client.GetAsync("/api/products?page=1&pageSize=1");
        var id = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("id").GetString();
        var path = $"/api/products/{id}";

        using var first = await client.GetAsync(path);
        using var second = await client.GetAsync(path);
        var stock = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetInt32();
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotNull(second.Headers.Age); // answered by the gateway's cache
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var admin = await GatewayTokens.CreateAsync(fixture, role: "admin");
        using var write = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"{path}/stock")
        {
            Content = JsonContent.Create(new { stock = stock + 7 }),
        }.WithBearer(admin));
        Assert.Equal(HttpStatusCode.OK, write.StatusCode);

        using var after = await client.GetAsync(path);
        Assert.Equal(stock + 7, (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetInt32());
        Assert.NotEqual(first.Headers.ETag, after.Headers.ETag);
    }

    [Fact]
    public async Task Authenticated_reads_are_never_answered_from_the_edge_cache()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);
        var token = await GatewayTokens.CreateAsync(fixture);

        using var first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/categories").WithBearer(token));
        using var second = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/categories").WithBearer(token));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(second.Headers.Age);
    }
}
