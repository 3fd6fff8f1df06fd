namespace Shop.ServiceDefaults.Refusals;

/// <summary>One line a reservation could not hold: the product is missing (<see cref="Exists"/> false) or short.</summary>
/// <param name="Description">The catalog's sentence for it, e.g. "Product … : requested 3, available 1."</param>
public sealed record StockShortage(Guid ProductId, bool Exists, string Description);

/// <summary>
/// A reservation refused as a whole, naming every short or missing product (gRPC FAILED_PRECONDITION with one
/// google.rpc.PreconditionFailure violation per line). The order service words it for its own clients.
/// </summary>
public sealed class OutOfStockRefusal(IReadOnlyList<StockShortage> shortages, string? detail = null,
    IReadOnlyDictionary<string, object?>? facts = null)
    : ShopRefusal("Out of Stock", detail ?? "Insufficient stock: " + string.Join("; ", shortages.Select(s => s.Description)), facts)
{
    public IReadOnlyList<StockShortage> Shortages { get; } = shortages;
}
