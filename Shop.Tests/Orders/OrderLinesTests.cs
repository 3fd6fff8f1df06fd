using Shop.OrderApi.Model;

namespace Shop.Tests.Orders;

public sealed class OrderLinesTests
{
    [Fact]
    public void Stored_lines_read_in_any_order_are_listed_in_the_order_they_were_placed()
    {
        var orderId = Guid.CreateVersion7();
        // As EF Core may fill them: in the order PostgreSQL returned the rows.
        var order = OrderWith(orderId, [Line(orderId, 7, "C"), Line(orderId, 5, "A"), Line(orderId, 6, "B")]);

        Assert.Equal([5L, 6L, 7L], order.Items.Select(i => i.Id));
        Assert.Equal(["A", "B", "C"], order.Items.Select(i => i.Sku));
    }

    [Fact]
    public void Lines_not_stored_yet_keep_the_order_they_were_added_in()
    {
        var orderId = Guid.CreateVersion7();
        var order = OrderWith(orderId, [Line(orderId, 0, "Z"), Line(orderId, 0, "A"), Line(orderId, 0, "M")]);

        Assert.Equal(["Z", "A", "M"], order.Items.Select(i => i.Sku));
    }

    private static OrderItem Line(Guid orderId, long id, string sku) => OrderItem.Restore(id, orderId, Guid.NewGuid(), sku, $"Product {sku}", 1m, 1);

    private static Order OrderWith(Guid orderId, OrderItem[] items) => Order.Restore(orderId, Guid.NewGuid(), "a@example.com", OrderStatus.Pending,
        "EUR", items.Length, new ShippingAddress("A", "1 Street", null, "City", "12345", "DE"), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
        null, null, null, null, null, 1, items);
}
