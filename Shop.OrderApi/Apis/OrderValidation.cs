using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.Validation;

namespace Shop.OrderApi.Apis;

/// <summary>
/// The order API's request checks, made before any other service is called; each returns the <see cref="FieldErrors"/>
/// of the input (keyed by JSON field path or query name), empty when valid. Text follows the shared
/// <see cref="TextRules"/>: a value the database would refuse is a 400 here, never a failed save.
/// </summary>
public static class OrderValidation
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 100;
    public const int MaxTextLength = 200;
    public const int MaxIdempotencyKeyLength = 100;

    /// <summary>
    /// A create-order request and its Idempotency-Key header (the field key is the header's name); a payment sent with it
    /// follows <see cref="ValidatePayment"/>'s rules under <c>payment.</c>; an expected total is at least 0, in cents.
    /// </summary>
    /// <param name="lines">The requested lines, in request order; complete only when no error is returned.</param>
    public static FieldErrors ValidateCreate(CreateOrderRequest request, string? idempotencyKey, out List<RequestedLine> lines)
    {
        var errors = new FieldErrors();
        void Add(string field, string message) => errors.Add(field, message);

        lines = [];
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            Add(ShopHeaders.IdempotencyKey, $"The {ShopHeaders.IdempotencyKey} header is required.");
        }
        else if (!TextRules.IsAcceptable(idempotencyKey))
        {
            Add(ShopHeaders.IdempotencyKey, TextRules.ForbiddenCharactersMessage);
        }
        else if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            Add(ShopHeaders.IdempotencyKey, $"The {ShopHeaders.IdempotencyKey} header must be at most {MaxIdempotencyKeyLength} characters.");
        }

        var items = request.Items;
        if (items is null || items.Count == 0)
        {
            Add("items", "An order needs at least one item.");
        }
        else if (items.Count > MaxLines)
        {
            Add("items", $"An order may have at most {MaxLines} lines.");
        }
        else
        {
            var seen = new HashSet<Guid>();
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                if (item is null)
                {
                    Add($"items[{i}]", "The item is missing.");
                    continue;
                }
                if (!Guid.TryParse(item.ProductId, out var productId) || productId == Guid.Empty)
                {
                    Add($"items[{i}].productId", "The product id must be a UUID.");
                }
                else if (!seen.Add(productId))
                {
                    Add($"items[{i}].productId", "Each product may appear on one line only.");
                }
                if (item.Quantity is <= 0 or > MaxQuantity)
                {
                    Add($"items[{i}].quantity", $"The quantity must be between 1 and {MaxQuantity}.");
                }
                lines.Add(new RequestedLine(productId, item.Quantity));
            }
        }

        var address = request.ShippingAddress;
        if (address is null)
        {
            Add("shippingAddress", "A shipping address is required.");
        }
        else
        {
            Required("shippingAddress.name", address.Name);
            Required("shippingAddress.line1", address.Line1);
            Required("shippingAddress.city", address.City);
            Required("shippingAddress.postalCode", address.PostalCode);
            errors.CheckText("shippingAddress.line2", address.Line2, MaxTextLength);
            if (address.Country is not { Length: 2 } country || !country.All(char.IsAsciiLetter))
            {
                Add("shippingAddress.country", "The country must be an ISO 3166 two-letter code.");
            }
        }

        void Required(string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(field, "This field is required.");
            }
            else
            {
                errors.CheckText(field, value, MaxTextLength);
            }
        }

        if (request.Payment is { } payment)
        {
            CheckPayment(errors, payment.Method, payment.CardNumber, "payment.");
        }
        errors.CheckAmount("expectedTotal", request.ExpectedTotal);
        errors.CheckCurrency("expectedCurrency", request.ExpectedCurrency);

        return errors;
    }

    /// <summary>The list query: an optional status filter and the page.</summary>
    /// <param name="filter">The parsed status; null when none is given (or when it is unknown).</param>
    /// <param name="paging">The validated page; null when <c>page</c> or <c>pageSize</c> is out of bounds.</param>
    public static FieldErrors ValidateList(string? status, int? page, int? pageSize, out OrderStatus? filter, out PageRequest? paging)
    {
        var errors = new FieldErrors();
        filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (OrderStatusNames.TryParse(status, out var parsed)) filter = parsed;
            else errors.Add("status", "Unknown status; use pending, paid, shipped, delivered or cancelled.");
        }
        paging = PageRequest.Create(page, pageSize, errors);
        return errors;
    }

    /// <summary>A payment: the method must be "card" (any case), the card number 12 to 19 ASCII digits.</summary>
    public static FieldErrors ValidatePayment(string? method, string? cardNumber)
    {
        var errors = new FieldErrors();
        CheckPayment(errors, method, cardNumber, fieldPrefix: "");
        return errors;
    }

    private static void CheckPayment(FieldErrors errors, string? method, string? cardNumber, string fieldPrefix)
    {
        if (!string.Equals(method, "card", StringComparison.OrdinalIgnoreCase))
            errors.Add(fieldPrefix + "method", "The only payment method is 'card'.");
        if (cardNumber is not { Length: >= 12 and <= 19 } card || !card.All(char.IsAsciiDigit))
            errors.Add(fieldPrefix + "cardNumber", "The card number must be 12 to 19 digits.");
    }

    /// <summary>An admin's status change: only <c>shipped</c> or <c>delivered</c> may be set by hand.</summary>
    /// <param name="target">The parsed status; meaningful only when no error is returned.</param>
    public static FieldErrors ValidateStatusChange(string? status, out OrderStatus target)
    {
        if (!OrderStatusNames.TryParse(status, out target) || target is not (OrderStatus.Shipped or OrderStatus.Delivered))
        {
            return FieldErrors.Single("status", "Use 'shipped' or 'delivered'.");
        }
        return new FieldErrors();
    }
}
