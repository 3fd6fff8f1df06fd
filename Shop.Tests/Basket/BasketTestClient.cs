using System.Net.Http.Headers;
using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;
using Shop.Tests.Infrastructure;
using Shop.Tests.Products;

namespace Shop.Tests.Basket;

public sealed record BasketLineDto(Guid ProductId, string Name, decimal UnitPrice, string? Currency, decimal PriceWhenAdded,
    string? CurrencyWhenAdded, int Quantity, int Available, bool PriceChanged, bool OutOfStock);

public sealed record BasketDto(string? CartId, long Version, List<BasketLineDto> Lines, decimal? Subtotal, int ItemCount, string? Currency);

/// <summary>
/// A shopper at the gateway: anonymous (a Cart-Id, once issued) or signed in (a real account's token). Products come from
/// product-api's admin API, each with a known price and stock.
/// </summary>
public sealed class BasketTestClient(ShopAppFixture fixture) : IDisposable
{

    public HttpClient Gateway { get; } = fixture.CreateHttpClient(ShopResources.Gateway);

    private HttpClient? _admin;

    public async Task<HttpClient> AdminAsync() => _admin ??= await ProductApiTestContext.AdminClientAsync(fixture);

    public Task<string> CustomerTokenAsync() => TestTokens.CustomerAsync(fixture.App);

    public async Task<ProductDto> CreateProductAsync(int stock = 50, decimal price = 12.50m) =>
        await ProductApiTestContext.CreateProductAsync(await AdminAsync(), stock, price: price);

    /// <param name="cartId">Sent as the Cart-Id header when not null.</param>
    /// <param name="token">Sent as the bearer token when not null.</param>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? cartId = null, string? token = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (cartId is not null) request.Headers.TryAddWithoutValidation(ShopHeaders.CartId, cartId);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Gateway.SendAsync(request);
    }

    public Task<HttpResponseMessage> PutLineAsync(Guid productId, int quantity, string? cartId = null, string? token = null) =>
        SendAsync(HttpMethod.Put, $"/api/basket/lines/{productId}", cartId, token, new { quantity });

    public async Task<BasketDto> SetLineAsync(Guid productId, int quantity, string? cartId = null, string? token = null)
    {
        using var response = await PutLineAsync(productId, quantity, cartId, token);
        return await ReadBasketAsync(response);
    }

    public async Task<BasketDto> GetAsync(string? cartId = null, string? token = null)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/basket", cartId, token);
        return await ReadBasketAsync(response);
    }

    public Task<HttpResponseMessage> CheckoutAsync(string token) =>
        SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token, body: new { shippingAddress = Orders.OrdersTestClient.Address });

    /// <summary>A checkout that pays in the same request with <paramref name="cardNumber"/> (the simulated provider's
    /// test cards: 4242424242424242 accepted, 4000000000000002 declined).</summary>
    public Task<HttpResponseMessage> CheckoutPayingAsync(string token, string cardNumber) =>
        SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token,
            body: new { shippingAddress = Orders.OrdersTestClient.Address, payment = new { method = "card", cardNumber } });

    /// <summary>The order's status as order-api reports it to its owner ("pending", "paid" …).</summary>
    public async Task<string> OrderStatusAsync(string token, Guid orderId)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/orders/{orderId}", token: token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
    }

    public static async Task<BasketDto> ReadBasketAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<BasketDto>(body, JsonSerializerOptions.Web)!;
    }

    public async Task<int> CountOrdersAsync(string token)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/orders?pageSize=50", token: token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totalCount").GetInt32();
    }

    public void Dispose()
    {
        Gateway.Dispose();
        _admin?.Dispose();
    }
}
