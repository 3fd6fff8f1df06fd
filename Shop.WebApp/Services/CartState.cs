namespace Shop.WebApp.Services;

/// <summary>
/// The cart's item count within one interactive circuit (scoped: one per browser tab), so the cart page's quantity
/// changes reach the header's badge without a page load. Nothing here outlives the circuit; basket-api holds the cart.
/// </summary>
public sealed class CartState
{
    public event Action<int>? ItemCountChanged;

    /// <summary>Tells the circuit's listeners the cart now holds <paramref name="itemCount"/> items (quantities summed).</summary>
    public void Publish(int itemCount) => ItemCountChanged?.Invoke(itemCount);
}
