using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shop.ServiceDefaults.Http;

namespace Shop.Benchmarks.Mix;

/// <summary>What a shopper does, as HTTP calls through the gateway.</summary>
public static class MixOperations
{
    public const string Browse = "browse";
    public const string ViewProduct = "view";
    public const string Search = "search";
    public const string Categories = "categories";
    public const string CreateOrder = "order";
    public const string PayOrder = "pay";
    public const string ListOrders = "orders";
    public const string Notifications = "notifications";

    private static readonly string[] SearchTerms = ["phone", "laptop", "shoe", "coffee", "lamp", "jacket", "book", "camera", "chair", "watch"];

    /// <summary>A card number the simulated payment provider accepts.</summary>
    public const string ApprovedCard = "4242424242424242";

    public static async Task<HttpStatusCode> ExecuteAsync(string operation, HttpClient http, VirtualUser user, Catalog catalog,
        OrderPipelineProbe probe, Random random, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case Browse:
                return await GetAsync(http, null, $"/api/products?page={random.Next(1, 20)}&pageSize=20", cancellationToken);
            case ViewProduct:
                return await GetAsync(http, null, $"/api/products/{catalog.RandomProduct(random)}", cancellationToken);
            case Search:
                return await GetAsync(http, null, $"/api/products/search?q={SearchTerms[random.Next(SearchTerms.Length)]}", cancellationToken);
            case Categories:
                return await GetAsync(http, null, "/api/categories", cancellationToken);
            case ListOrders:
                return await GetAsync(http, user, "/api/orders?page=1", cancellationToken);
            case Notifications:
                return await GetAsync(http, user, "/api/notifications", cancellationToken);
            case CreateOrder:
                return await CreateOrderAsync(http, user, catalog, probe, random, cancellationToken);
            case PayOrder:
                if (!user.TryTakeUnpaidOrder(out var orderId))
                {
                    return await CreateOrderAsync(http, user, catalog, probe, random, cancellationToken);
                }
                using (var request = await PayOrderRequestAsync(http, user, orderId, cancellationToken))
                {
                    using var response = await SendAsync(http, request, user, cancellationToken);
                    return response.StatusCode;
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }

    private static async Task<HttpStatusCode> CreateOrderAsync(HttpClient http, VirtualUser user, Catalog catalog,
        OrderPipelineProbe probe, Random random, CancellationToken cancellationToken)
    {
        using var request = await CreateOrderRequestAsync(http, user, catalog, random, cancellationToken);
        using var response = await SendAsync(http, request, user, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            var order = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            var id = order?["id"]?.ToString();
            if (id is not null)
            {
                user.AddUnpaidOrder(id);
                probe.OrderCreated(user, id);
            }
        }
        return response.StatusCode;
    }

    /// <summary>
    /// POST /api/orders: one unit of a product well in stock, a fresh Idempotency-Key; with <paramref name="pay"/>, paid
    /// in the same request by a card the simulated provider approves (checkout in one call).
    /// </summary>
    public static async Task<HttpRequestMessage> CreateOrderRequestAsync(HttpClient http, VirtualUser user, Catalog catalog, Random random,
        CancellationToken cancellationToken, bool pay = false)
    {
        var request = await AuthorizedAsync(HttpMethod.Post, "/api/orders", user, http, cancellationToken);
        request.Headers.Add(ShopHeaders.IdempotencyKey, Guid.NewGuid().ToString());
        request.Content = JsonContent.Create(new
        {
            items = new[] { new { productId = catalog.RandomOrderableProduct(random), quantity = 1 } },
            shippingAddress = new { name = user.Name, line1 = "1 Load Street", city = "Benchville", postalCode = "10001", country = "US" },
            payment = pay ? new { method = "card", cardNumber = ApprovedCard } : null,
        });
        return request;
    }

    /// <summary>POST /api/orders/{id}/pay with a card the simulated provider approves.</summary>
    public static async Task<HttpRequestMessage> PayOrderRequestAsync(HttpClient http, VirtualUser user, string orderId, CancellationToken cancellationToken)
    {
        var request = await AuthorizedAsync(HttpMethod.Post, $"/api/orders/{orderId}/pay", user, http, cancellationToken);
        request.Content = JsonContent.Create(new { method = "card", cardNumber = ApprovedCard });
        return request;
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient http, VirtualUser? user, string path, CancellationToken cancellationToken)
    {
        using var request = user is null ? new HttpRequestMessage(HttpMethod.Get, path) : await AuthorizedAsync(HttpMethod.Get, path, user, http, cancellationToken);
        using var response = user is null
            ? await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)
            : await SendAsync(http, request, user, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>A request with the shopper's bearer token, renewed first when it is about to expire.</summary>
    public static async Task<HttpRequestMessage> AuthorizedAsync(HttpMethod method, string path, VirtualUser user, HttpClient http,
        CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await user.Session.AccessTokenAsync(http, cancellationToken));
        return request;
    }

    /// <summary>Sends a shopper's request; a 401 (token revoked or expired early) makes the session renew before the next one.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, VirtualUser user, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized) user.Session.Expire();
        return response;
    }
}
