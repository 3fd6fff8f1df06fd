using Shop.BasketApi.Infrastructure;
using Shop.BasketApi.Model;
using Shop.ServiceDefaults.Refusals;

namespace Shop.BasketApi.Services;

/// <summary>
/// The cart operations the HTTP and gRPC APIs share: rules (<see cref="BasketRules"/>), known products, and lines shown
/// with product-api's current name, price and stock.
/// </summary>
/// <remarks>Refusals (<see cref="BasketRefusals"/>): a broken rule, an unknown product, a dependency unavailable.</remarks>
public sealed class BasketService(RedisBasketStore store, ProductsClient productApi)
{
    public async Task<Basket> GetAsync(BasketOwner? owner, CancellationToken cancellationToken)
    {
        if (owner is null) return View(null, StoredBasket.Empty, new Dictionary<Guid, CurrentProduct>());
        var stored = await store.ReadAsync(owner);
        return View(owner, stored, await productApi.GetProductsAsync(stored.Lines.Select(l => l.ProductId), cancellationToken));
    }

    /// <summary>Sets a line's quantity (1–100), adding the line (at most 50) for a product the catalog knows.</summary>
    public async Task<Basket> SetLineAsync(BasketOwner owner, Guid productId, int quantity, CancellationToken cancellationToken)
    {
        CheckProductId(productId);
        if (quantity is < BasketRules.MinQuantity or > BasketRules.MaxQuantity)
        {
            throw InvalidRefusal.Field("quantity", $"The quantity must be between {BasketRules.MinQuantity} and {BasketRules.MaxQuantity}.");
        }
        // One product-api call for the cart as it is plus the new product; the write itself is atomic in Redis.
        var before = await store.ReadAsync(owner);
        var products = await productApi.GetProductsAsync(before.Lines.Select(l => l.ProductId).Append(productId), cancellationToken);
        if (!products.TryGetValue(productId, out var product)) throw BasketRefusals.UnknownProduct(productId);
        if (before.Lines.All(l => l.ProductId != productId)
            && Currencies(View(owner, before, products).Lines).FirstOrDefault(c => !string.Equals(c, product.Currency, StringComparison.OrdinalIgnoreCase)) is { } cartCurrency)
        {
            throw BasketRefusals.OtherCurrency(productId, product.Name, product.Currency, cartCurrency);
        }

        var result = await store.SetLineAsync(owner, productId, quantity, product.Price, product.Currency, product.Name);
        var after = result.Basket
            ?? throw InvalidRefusal.Field("productId", $"A basket may have at most {BasketRules.MaxLines} lines.");
        return await ViewAsync(owner, after, products, cancellationToken);
    }

    public async Task<Basket> RemoveLineAsync(BasketOwner? owner, Guid productId, CancellationToken cancellationToken)
    {
        CheckProductId(productId);
        if (owner is null) return await GetAsync(null, cancellationToken);
        var after = await store.RemoveLineAsync(owner, productId);
        return await ViewAsync(owner, after, new Dictionary<Guid, CurrentProduct>(), cancellationToken);
    }

    public Task ClearAsync(BasketOwner? owner) => owner is null ? Task.CompletedTask : store.ClearAsync(owner);

    /// <summary>
    /// Moves an anonymous cart's lines into the shopper's (quantities added, capped at 100 a line and 50 lines) and
    /// deletes it. Idempotent: a cart already merged, expired or never written leaves the shopper's cart as it is.
    /// </summary>
    public async Task<Basket> MergeAsync(BasketOwner.Shopper shopper, BasketOwner.Anonymous anonymous, CancellationToken cancellationToken)
    {
        var after = await store.MergeAsync(shopper, anonymous);
        return await ViewAsync(shopper, after, new Dictionary<Guid, CurrentProduct>(), cancellationToken);
    }

    private static void CheckProductId(Guid productId)
    {
        if (productId == Guid.Empty) throw InvalidRefusal.Field("productId", "The product id must be a UUID.");
    }

    /// <summary>Shows <paramref name="stored"/>, asking product-api only about lines <paramref name="known"/> lacks (written meanwhile).</summary>
    private async Task<Basket> ViewAsync(BasketOwner owner, StoredBasket stored, IReadOnlyDictionary<Guid, CurrentProduct> known,
        CancellationToken cancellationToken)
    {
        var missing = stored.Lines.Select(l => l.ProductId).Where(id => !known.ContainsKey(id)).ToList();
        if (missing.Count == 0) return View(owner, stored, known);
        var fetched = await productApi.GetProductsAsync(missing, cancellationToken);
        var all = new Dictionary<Guid, CurrentProduct>(known);
        foreach (var (id, product) in fetched) all[id] = product;
        return View(owner, stored, all);
    }

    private static Basket View(BasketOwner? owner, StoredBasket stored, IReadOnlyDictionary<Guid, CurrentProduct> products)
    {
        var lines = stored.Lines.Select(line =>
        {
            // A product gone from the catalog keeps its name and price as added and shows as unavailable.
            var product = products.GetValueOrDefault(line.ProductId);
            var price = product?.Price ?? line.PriceWhenAdded;
            var lineCurrency = product?.Currency ?? line.CurrencyWhenAdded;
            var available = product?.Stock ?? 0;
            var priceChanged = price != line.PriceWhenAdded
                || (line.CurrencyWhenAdded is not null && !string.Equals(lineCurrency, line.CurrencyWhenAdded, StringComparison.OrdinalIgnoreCase));
            return new BasketLine(line.ProductId, product?.Name ?? line.NameWhenAdded, price, lineCurrency, line.PriceWhenAdded,
                line.CurrencyWhenAdded, line.Quantity, available, priceChanged, available < line.Quantity);
        }).ToList();
        // A cart can still come to hold two currencies: a product repriced into another one after it was added, an
        // anonymous cart merged at sign-in, or two new lines added at once (the check above reads, then writes). Its
        // amounts do not add up then, so it shows no subtotal.
        var currencies = Currencies(lines);
        var subtotal = currencies.Count <= 1 ? lines.Sum(l => l.UnitPrice * l.Quantity) : (decimal?)null;
        return new Basket((owner as BasketOwner.Anonymous)?.CartId.Value, stored.Version, lines,
            subtotal, lines.Sum(l => l.Quantity), currencies.Count == 1 ? currencies[0] : null);
    }

    /// <summary>
    /// The lines' distinct currencies (ISO 4217), in line order; a line with none (stored before carts kept one, its
    /// product since gone from the catalog) counts for none.
    /// </summary>
    private static List<string> Currencies(IEnumerable<BasketLine> lines) =>
        lines.Select(l => l.Currency).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
