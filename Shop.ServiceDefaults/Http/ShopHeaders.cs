using Shop.ServiceDefaults.Configuration;

namespace Shop.ServiceDefaults.Http;

/// <summary>
/// The HTTP headers of Shop's own that cross a project boundary (a service and its clients: other services, the
/// storefront, the benchmarks, the tests). Standard headers (Authorization, ETag, Retry-After, X-Forwarded-For) are
/// not repeated here.
/// </summary>
public static class ShopHeaders
{
    /// <summary>
    /// Request header of <c>POST /api/orders</c>, required: the client's key for this order (at most 100 characters).
    /// A retry with the same key and body answers the order made the first time; the same key with another body is a
    /// 422. Set by every client that creates orders; basket-api sets <c>basket-{cart instance}-{version}</c> at checkout.
    /// </summary>
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>
    /// Response header of <c>POST /api/orders</c>: <c>true</c> when order-api answered with the order an earlier request
    /// under the same <see cref="IdempotencyKey"/> made (absent when this request made it). Set by order-api; basket-api
    /// reads it to report a checkout as replayed.
    /// </summary>
    public const string IdempotentReplayed = "Idempotent-Replayed";

    /// <summary>
    /// An anonymous cart's id (22 base64url characters), issued by basket-api in this response header on the first
    /// successful write of a caller who sent none; the client sends it back as a request header on every basket call
    /// (the storefront from its cart cookie). A signed-in request's cart is the token's, and the header is ignored.
    /// </summary>
    public const string CartId = "Cart-Id";

    /// <summary>
    /// Request header the storefront (Shop.WebApp) sets on every gateway call: the shared secret the AppHost generates
    /// (the storefront's <see cref="ShopConfigurationKeys.StorefrontSecret"/>, the gateway's
    /// <see cref="ShopConfigurationKeys.GatewayStorefrontSecret"/>). Only with it does the gateway take the
    /// X-Forwarded-For it sends as the client's address; the gateway removes it before proxying.
    /// </summary>
    public const string StorefrontSecret = "X-Storefront-Secret";
}
