using Shop.OrderApi.Model;

namespace Shop.Tests.Orders;

public sealed class OrderStateMachineTests
{
    public static TheoryData<OrderStatus, OrderStatus> Allowed => new()
    {
        { OrderStatus.Pending, OrderStatus.Paid },
        { OrderStatus.Paid, OrderStatus.Shipped },
        { OrderStatus.Shipped, OrderStatus.Delivered },
        { OrderStatus.Pending, OrderStatus.Cancelled },
        { OrderStatus.Paid, OrderStatus.Cancelled },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allowed_transitions_are_allowed(OrderStatus from, OrderStatus to) =>
        Assert.True(OrderStateMachine.CanTransition(from, to));

    [Fact]
    public void Every_other_transition_is_illegal()
    {
        var allowed = Allowed.Select(row => ((OrderStatus)row[0], (OrderStatus)row[1])).ToHashSet();
        var all = Enum.GetValues<OrderStatus>();
        var illegal = all.SelectMany(from => all.Select(to => (from, to))).Where(pair => !allowed.Contains(pair)).ToList();

        Assert.Equal(all.Length * all.Length - allowed.Count, illegal.Count);
        foreach (var (from, to) in illegal)
        {
            Assert.False(OrderStateMachine.CanTransition(from, to), $"{from} → {to} must be illegal");
            var ex = Assert.Throws<IllegalOrderTransitionException>(() => OrderStateMachine.EnsureCanTransition(from, to));
            Assert.Equal((from, to), (ex.From, ex.To));
        }
    }

    [Fact]
    public void Order_walks_the_happy_path_and_refuses_to_go_back()
    {
        var order = NewOrder();
        var now = DateTimeOffset.UtcNow;

        order.MarkPaid("pay_1", now);
        order.Ship(now);
        Assert.Throws<IllegalOrderTransitionException>(() => order.Cancel("too late", now));
        order.Deliver(now);

        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal("pay_1", order.PaymentReference);
        Assert.Throws<IllegalOrderTransitionException>(() => order.MarkPaid("pay_2", now));
    }

    [Fact]
    public void Cancelling_a_paid_order_records_a_refund_but_a_pending_one_does_not()
    {
        var paid = NewOrder();
        paid.MarkPaid("pay_1", DateTimeOffset.UtcNow);
        paid.Cancel("changed my mind", DateTimeOffset.UtcNow);
        var pending = NewOrder();
        pending.Cancel("changed my mind", DateTimeOffset.UtcNow);

        Assert.Equal(OrderStatus.Cancelled, paid.Status);
        Assert.StartsWith("refund_", paid.RefundReference);
        Assert.Equal(OrderStatus.Cancelled, pending.Status);
        Assert.Null(pending.RefundReference);
    }

    internal static Order NewOrder() => Order.Create(Guid.NewGuid(), Guid.NewGuid(), "a@b.c",
        new ShippingAddress("Ann", "1 Main St", null, "Springfield", "12345", "US"),
        new PricedOrder([new PricedLine(Guid.NewGuid(), "SKU-1", "Mug", 9.99m, 2)], "EUR", 19.98m),
        DateTimeOffset.UtcNow);
}
