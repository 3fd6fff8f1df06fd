using Microsoft.Extensions.Primitives;
using Shop.BasketApi.Model;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.Validation;

namespace Shop.BasketApi.Apis;

/// <summary>
/// The basket API's request checks; each returns the <see cref="FieldErrors"/> of the input (keyed by JSON, route or
/// header name), empty when valid. The cart's own rules (quantity 1–100, at most 50 lines) are
/// <see cref="BasketRules"/>, checked by the service for HTTP and gRPC alike.
/// </summary>
public static class BasketValidation
{
    /// <summary>An anonymous caller's Cart-Id header: absent (no cart yet), or exactly one id this API issued.</summary>
    /// <param name="cartId">The cart named; null when the header is absent or invalid.</param>
    public static FieldErrors ValidateCartIdHeader(StringValues header, out CartId? cartId)
    {
        cartId = null;
        if (header.Count == 0 || (header.Count == 1 && CartId.TryParse(header[0], out cartId))) return new FieldErrors();
        return FieldErrors.Single(ShopHeaders.CartId,
            $"The {ShopHeaders.CartId} header must be a cart id this API issued ({CartId.Length} base64url characters).");
    }

    /// <summary>The <c>productId</c> route value: a UUID other than the empty one.</summary>
    /// <param name="id">The parsed id; meaningful only when no error is returned.</param>
    public static FieldErrors ValidateProductId(string? productId, out Guid id) =>
        Guid.TryParse(productId, out id) && id != Guid.Empty ? new FieldErrors() : FieldErrors.Single("productId", "The product id must be a UUID.");

    /// <summary>Setting a line: the product id, then the quantity's presence (a bad product id is reported alone).</summary>
    /// <param name="id">The parsed product id; meaningful only when no error is returned.</param>
    public static FieldErrors ValidateSetLine(string? productId, int? quantity, out Guid id)
    {
        var errors = ValidateProductId(productId, out id);
        if (!errors.HasErrors && quantity is null) errors.Add("quantity", "Required.");
        return errors;
    }

    /// <summary>A checkout's cart as reviewed: a <c>subtotal</c> is an amount of at least 0 in cents and a
    /// <c>currency</c> an ISO 4217 code, as order-api checks what it compares them with (its <c>expectedTotal</c> and
    /// <c>expectedCurrency</c>).</summary>
    public static FieldErrors ValidateCheckout(decimal? subtotal, string? currency)
    {
        var errors = new FieldErrors();
        errors.CheckAmount("subtotal", subtotal);
        errors.CheckCurrency("currency", currency);
        return errors;
    }

    /// <summary>A merge: the anonymous cart's id, one this API issued.</summary>
    /// <param name="id">The parsed cart id; null when invalid.</param>
    public static FieldErrors ValidateMerge(string? cartId, out CartId? id) =>
        CartId.TryParse(cartId, out id)
            ? new FieldErrors()
            : FieldErrors.Single("cartId", $"The cart id must be one this API issued ({CartId.Length} base64url characters).");
}
