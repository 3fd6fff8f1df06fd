using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Validation;

namespace Shop.OrderApi.Apis;

/// <summary>
/// Checks a create-order request before any other service is called; errors are keyed by JSON field path. Text
/// follows the shared <see cref="TextRules"/>: a value the database would refuse is a 400 here, never a failed save.
/// </summary>
public static class CreateOrderValidator
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 100;
    public const int MaxTextLength = 200;
    public const int MaxIdempotencyKeyLength = 100;

    public static FieldErrors Validate(CreateOrderRequest request, string? idempotencyKey, out List<RequestedLine> lines)
    {
        var errors = new FieldErrors();
        void Add(string field, string message) => errors.Add(field, message);

        lines = [];
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            Add("Idempotency-Key", "The Idempotency-Key header is required.");
        }
        else if (!TextRules.IsAcceptable(idempotencyKey))
        {
            Add("Idempotency-Key", TextRules.ForbiddenCharactersMessage);
        }
        else if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            Add("Idempotency-Key", $"The Idempotency-Key header must be at most {MaxIdempotencyKeyLength} characters.");
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

        return errors;
    }
}
