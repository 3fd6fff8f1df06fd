namespace Shop.BasketApi.Model;

/// <summary>
/// A cart as stored: <paramref name="Version"/> is 0 for a cart that does not exist and grows by one with every change;
/// <paramref name="Instance"/> is random per cart lifetime (a cleared or expired cart starts a new one), so
/// (instance, version) never repeats for one shopper.
/// </summary>
public sealed record StoredBasket(long Version, string? Instance, IReadOnlyList<StoredLine> Lines)
{
    public static readonly StoredBasket Empty = new(0, null, []);
}

/// <summary>One line as stored; the price, its currency and the name are the catalog's when the line was first added.</summary>
/// <param name="AddedAt">The cart version that added the line: lines are listed in the order they were added.</param>
/// <param name="CurrencyWhenAdded">ISO 4217; null for a line stored before carts kept it.</param>
public sealed record StoredLine(Guid ProductId, int Quantity, decimal PriceWhenAdded, long AddedAt, string NameWhenAdded,
    string? CurrencyWhenAdded);
