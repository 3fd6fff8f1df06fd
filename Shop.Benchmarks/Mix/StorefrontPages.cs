using System.Net;
using System.Net.Http.Json;
using Shop.ServiceDefaults.Http;

namespace Shop.Benchmarks.Mix;

/// <summary>
/// The storefront variant of the mix: what an anonymous shopper's browser asks Shop.WebApp for (whole server-rendered
/// pages, read to the end), so the report shows a page's cost beside the API calls it makes through the gateway.
/// The cart page shows the virtual user's own anonymous cart (its cart cookie, <c>shop.cart</c>).
/// </summary>
public static class StorefrontPages
{
    public const string Catalog = "page-catalog";
    public const string Product = "page-product";
    public const string Search = "page-search";
    public const string Cart = "page-cart";

    /// <summary>The storefront's cookie holding an anonymous cart's id (Shop.WebApp's CartCookie).</summary>
    public const string CartCookie = "shop.cart";

    public static readonly IReadOnlyDictionary<string, int> Weights = new Dictionary<string, int>
    {
        [Catalog] = 10,
        [Product] = 10,
        [Search] = 5,
        [Cart] = 3,
    };

    private static readonly string[] SearchTerms = ["phone", "laptop", "shoe", "coffee", "lamp", "jacket", "book", "camera", "chair", "watch"];

    public static bool Is(string operation) => Weights.ContainsKey(operation);

    /// <summary>The page's GET request: catalog pages 1–19, a known product, a search term, or the cart with its cookie.</summary>
    public static HttpRequestMessage Request(string operation, Catalog catalog, string? cartId, Random random)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, operation switch
        {
            Catalog => $"/?page={random.Next(1, 20)}",
            Product => $"/products/{catalog.RandomProduct(random)}",
            Search => $"/search?q={SearchTerms[random.Next(SearchTerms.Length)]}",
            Cart => "/cart",
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a storefront page"),
        });
        if (operation == Cart && cartId is not null) request.Headers.Add("Cookie", $"{CartCookie}={cartId}");
        return request;
    }

    public static async Task<HttpStatusCode> GetAsync(HttpClient storefront, string operation, VirtualUser user, Catalog catalog, Random random,
        CancellationToken cancellationToken)
    {
        using var request = Request(operation, catalog, user.CartId, random);
        using var response = await storefront.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>An anonymous cart with two lines, made through the gateway's basket API: the id its Cart-Id header gives.</summary>
    public static async Task<string> CreateCartAsync(HttpClient gateway, Catalog catalog, Random random, CancellationToken cancellationToken)
    {
        string? cartId = null;
        foreach (var productId in new[] { catalog.RandomOrderableProduct(random), catalog.RandomOrderableProduct(random) }.Distinct())
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/basket/lines/{productId}") { Content = JsonContent.Create(new { quantity = 1 }) };
            if (cartId is not null) request.Headers.Add(ShopHeaders.CartId, cartId);
            using var response = await gateway.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"PUT /api/basket/lines/{productId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}",
                    null, response.StatusCode);
            }
            cartId ??= response.Headers.TryGetValues(ShopHeaders.CartId, out var issued) ? issued.Single()
                : throw new InvalidOperationException("basket-api issued no Cart-Id for a new anonymous cart.");
        }
        return cartId!;
    }
}
