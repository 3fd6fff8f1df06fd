namespace Shop.OrderApi.Model;

/// <summary>A line keeps the product's name and price at order time, so reading an order never needs the catalog.</summary>
public sealed class OrderItem
{
    private OrderItem() { }

    public OrderItem(Guid productId, string sku, string productName, decimal unitPrice, int quantity)
    {
        ProductId = productId;
        Sku = sku;
        ProductName = productName;
        UnitPrice = unitPrice;
        Quantity = quantity;
    }

    /// <summary>A stored line as a hand-written statement read it back (<see cref="Order.Restore"/>).</summary>
    internal static OrderItem Restore(long id, Guid orderId, Guid productId, string sku, string productName, decimal unitPrice, int quantity) =>
        new(productId, sku, productName, unitPrice, quantity) { Id = id, OrderId = orderId };

    public long Id { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid ProductId { get; private set; }
    public string Sku { get; private set; } = "";
    public string ProductName { get; private set; } = "";
    public decimal UnitPrice { get; private set; }
    public int Quantity { get; private set; }
    public decimal LineTotal => UnitPrice * Quantity;
}
