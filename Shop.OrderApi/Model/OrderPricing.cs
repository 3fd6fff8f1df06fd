using System.Globalization;

namespace Shop.OrderApi.Model;

/// <summary>A product as product-api describes it now (mapped from the gRPC reply).</summary>
public sealed record CurrentProduct(Guid Id, string Sku, string Name, string Price, string Currency);

public sealed record PricedLine(Guid ProductId, string Sku, string Name, decimal UnitPrice, int Quantity)
{
    public decimal LineTotal => UnitPrice * Quantity;
}

public sealed record PricedOrder(IReadOnlyList<PricedLine> Lines, string Currency, decimal Total);

/// <summary>Prices an order on the server from the catalog's current prices; whatever price a client sends is ignored.</summary>
public static class OrderPricing
{
    public static PricedOrder Price(IReadOnlyList<RequestedLine> requested, IReadOnlyDictionary<Guid, CurrentProduct> products)
    {
        var lines = new List<PricedLine>(requested.Count);
        foreach (var line in requested)
        {
            var product = products.TryGetValue(line.ProductId, out var p)
                ? p
                : throw new PricingException($"Product {line.ProductId} is not in the catalog.");
            if (!decimal.TryParse(product.Price, NumberStyles.Number, CultureInfo.InvariantCulture, out var price) || price < 0)
            {
                throw new PricingException($"Product {product.Id} has no valid price.");
            }
            lines.Add(new PricedLine(product.Id, product.Sku, product.Name, price, line.Quantity));
        }

        var currencies = lines.Select(l => products[l.ProductId].Currency.ToUpperInvariant()).Distinct().ToList();
        if (currencies.Count != 1)
        {
            throw new PricingException("All products of one order must be priced in the same currency.");
        }
        var total = decimal.Round(lines.Sum(l => l.LineTotal), 2, MidpointRounding.AwayFromZero);
        return new PricedOrder(lines, currencies[0], total);
    }
}

public sealed class PricingException(string message) : Exception(message);
