using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;
using Shop.Tests.Infrastructure;
using Shop.Tests.Products;
using Shop.Tests.Users;

namespace Shop.Tests.Orders;

public sealed record TestProduct(Guid Id, string Name, decimal Price);

public sealed record OrderLineDto(Guid ProductId, string Sku, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record OrderDto(Guid Id, Guid UserId, string Status, string Currency, decimal Total, List<OrderLineDto> Items,
    string? PaymentReference, string? RefundReference, string? CancellationReason, bool PaymentInProgress = false, bool Refunded = false);

public sealed record OrderPageDto(List<OrderDto> Items, int Page, int PageSize, int TotalCount);

public sealed record NotificationDto(long Id, string Channel, string EventType, Guid EventId, Guid OrderId, string Text,
    DateTimeOffset CreatedAt, string? TraceId);

public sealed record NotificationPageDto(List<NotificationDto> Items, int Page, int PageSize, int TotalCount);

/// <summary>
/// What the order tests need from the shared app: real customers (registered and signed in at UserApi), products
/// with a known stock (created through ProductApi's admin API), the order and notification APIs, the databases.
/// </summary>
public sealed class OrdersTestClient(ShopAppFixture fixture) : IDisposable
{
    public static readonly object Address = new { name = "Ann Tester", line1 = "1 Main Street", city = "Springfield", postalCode = "12345", country = "DE" };

    private readonly UsersApiClient _users = new(fixture);
    private string? _adminToken;

    public HttpClient Orders { get; } = fixture.CreateHttpClient(ShopResources.OrderApi);
    public HttpClient Products { get; } = fixture.CreateHttpClient(ShopResources.ProductApi);
    public HttpClient Notifier { get; } = fixture.CreateHttpClient(ShopResources.Notifier);

    public async Task<string> CustomerTokenAsync()
    {
        var user = await _users.RegisterAsync(UsersApiClient.UniqueEmail("orders"));
        return await _users.GetTokenAsync(user.Email, user.Password);
    }

    public async Task<string> AdminTokenAsync() => _adminToken ??= await _users.GetAdminTokenAsync();

    public async Task<TestProduct> CreateProductAsync(int stock, decimal price = 12.50m)
    {
        var admin = await AdminTokenAsync();
        using var categories = await SendAsync(Products, HttpMethod.Get, "/api/categories", admin);
        var category = (await categories.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("slug").GetString();
        var sku = $"ORD-{Guid.NewGuid():N}"[..30];
        using var response = await SendAsync(Products, HttpMethod.Post, "/api/products", admin, new
        {
            sku, name = $"Order test {sku}", description = "for order tests", category, brand = "Testware", price, currency = "EUR", stock,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var product = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new TestProduct(product.GetProperty("id").GetGuid(), product.GetProperty("name").GetString()!, price);
    }

    /// <summary>Read from the database: the product API's cached reads could lag behind a reservation.</summary>
    public Task<int> GetStockAsync(Guid productId) => ProductApiTestContext.GetStockFromDatabaseAsync(fixture, productId);

    public static object OrderBody(params (Guid ProductId, int Quantity)[] lines) => new
    {
        items = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }).ToArray(),
        shippingAddress = Address,
    };

    /// <summary>An order body that pays at placement with <paramref name="payWith"/> (method, card number).</summary>
    public static object OrderBody((Guid ProductId, int Quantity)[] lines, (string Method, string CardNumber) payWith) => new
    {
        items = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }).ToArray(),
        shippingAddress = Address,
        payment = new { method = payWith.Method, cardNumber = payWith.CardNumber },
    };

    /// <summary>POST /api/orders at order-api, or at <paramref name="via"/> (e.g. the gateway).</summary>
    public Task<HttpResponseMessage> PostOrderAsync(string token, object body, string? idempotencyKey = null, string? traceParent = null, HttpClient? via = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add(ShopHeaders.IdempotencyKey, idempotencyKey);
        if (traceParent is not null) request.Headers.Add("traceparent", traceParent);
        return (via ?? Orders).SendAsync(request);
    }

    public async Task<OrderDto> CreateOrderAsync(string token, params (Guid ProductId, int Quantity)[] lines)
    {
        using var response = await PostOrderAsync(token, OrderBody(lines), Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderDto>())!;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PayAsync(string token, Guid orderId, string card = "4242424242424242") =>
        SendAsync(Orders, HttpMethod.Post, $"/api/orders/{orderId}/pay", token, new { method = "card", cardNumber = card });

    public Task<HttpResponseMessage> SetStatusAsync(string token, Guid orderId, string status) =>
        SendAsync(Orders, HttpMethod.Put, $"/api/orders/{orderId}/status", token, new { status });

    public Task<HttpResponseMessage> CancelAsync(string token, Guid orderId) =>
        SendAsync(Orders, HttpMethod.Post, $"/api/orders/{orderId}/cancel", token);

    public async Task<List<NotificationDto>> GetNotificationsAsync(string token, Guid orderId)
    {
        using var response = await SendAsync(Notifier, HttpMethod.Get, $"/api/notifications?orderId={orderId}&pageSize=200", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<NotificationPageDto>())!.Items;
    }

    /// <summary>Waits until the Notifier stored notifications for every one of these event types of the order.</summary>
    public Task<List<NotificationDto>> WaitForNotificationsAsync(string token, Guid orderId, string[] eventTypes, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(() => GetNotificationsAsync(token, orderId),
            list => eventTypes.All(t => list.Any(n => n.EventType == t)),
            timeout ?? TimeSpan.FromSeconds(30), $"notifications {string.Join(", ", eventTypes)} for order {orderId}");

    public async Task<long> ScalarAsync(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public void Dispose()
    {
        _users.Dispose();
        Orders.Dispose();
        Products.Dispose();
        Notifier.Dispose();
    }
}
