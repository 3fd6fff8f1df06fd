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

    public long Id { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid ProductId { get; private set; }
    public string Sku { get; private set; } = "";
    public string ProductName { get; private set; } = "";
    public decimal UnitPrice { get; private set; }
    public int Quantity { get; private set; }
    public decimal LineTotal => UnitPrice * Quantity;
}
