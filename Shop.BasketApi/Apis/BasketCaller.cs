using Shop.BasketApi.Model;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;

namespace Shop.BasketApi.Apis;

/// <summary>Which cart a request is about: the signed-in shopper's (the token's <c>sub</c>), else the one its Cart-Id header names.</summary>
internal static class BasketCaller
{
    /// <summary>
    /// The caller's cart, or null for an anonymous caller without a Cart-Id (no cart yet). A signed-in request ignores
    /// Cart-Id. A malformed Cart-Id is a field error (<see cref="BasketValidation.ValidateCartIdHeader"/>).
    /// </summary>
    public static FieldErrors Resolve(HttpContext http, out BasketOwner? owner)
    {
        if (http.User.GetUserId() is { } userId)
        {
            owner = new BasketOwner.Shopper(userId);
            return new FieldErrors();
        }
        var errors = BasketValidation.ValidateCartIdHeader(http.Request.Headers[ShopHeaders.CartId], out var cartId);
        owner = cartId is { } id ? new BasketOwner.Anonymous(id) : null;
        return errors;
    }

    /// <summary>The caller's cart for a write: an anonymous caller without one gets a new cart id (see <see cref="Issue"/>).</summary>
    public static BasketOwner ForWrite(BasketOwner? owner) => owner ?? new BasketOwner.Anonymous(CartId.New());

    /// <summary>After a successful write, tells an anonymous caller who sent no Cart-Id the one issued for it.</summary>
    public static void Issue(HttpContext http, BasketOwner? sent, BasketOwner written)
    {
        if (sent is null && written is BasketOwner.Anonymous anonymous) http.Response.Headers[ShopHeaders.CartId] = anonymous.CartId.Value;
    }

    /// <summary>The raw bearer token the caller authenticated with, relayed to order-api.</summary>
    public static string BearerToken(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? authorization[prefix.Length..].Trim() : "";
    }
}
