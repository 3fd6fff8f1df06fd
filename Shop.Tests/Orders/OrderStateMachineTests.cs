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
    public void Cancelling_claims_no_refund_until_the_provider_made_one()
    {
        var paid = NewOrder();
        paid.MarkPaid("pay_1", DateTimeOffset.UtcNow);
        paid.Cancel("changed my mind", DateTimeOffset.UtcNow);
        Assert.Equal(OrderStatus.Cancelled, paid.Status);
        Assert.Null(paid.RefundReference);

        paid.MarkRefunded("refund_1", DateTimeOffset.UtcNow);
        Assert.Equal("refund_1", paid.RefundReference);
    }

    [Fact]
    public void An_order_held_for_a_payment_can_be_neither_cancelled_nor_paid_again_until_the_attempt_settles()
    {
        var order = NewOrder();
        var attempt = Guid.NewGuid();
        order.BeginPayment(attempt, DateTimeOffset.UtcNow);

        Assert.Throws<PaymentInProgressException>(() => order.Cancel("changed my mind", DateTimeOffset.UtcNow));
        Assert.Throws<PaymentInProgressException>(() => order.BeginPayment(Guid.NewGuid(), DateTimeOffset.UtcNow));
        Assert.Throws<InvalidOperationException>(() => order.CompletePayment(Guid.NewGuid(), "pay_other", DateTimeOffset.UtcNow));
        Assert.Equal(OrderStatus.Pending, order.Status);

        order.AbandonPayment(attempt, DateTimeOffset.UtcNow);
        order.Cancel("changed my mind", DateTimeOffset.UtcNow);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
    }

    [Fact]
    public void A_captured_attempt_pays_the_held_order_and_ends_the_hold()
    {
        var order = NewOrder();
        var payment = Payment.Start(Guid.NewGuid(), order, DateTimeOffset.UtcNow);
        order.BeginPayment(payment.Id, DateTimeOffset.UtcNow);
        payment.Capture("pay_1", DateTimeOffset.UtcNow);
        order.CompletePayment(payment.Id, "pay_1", DateTimeOffset.UtcNow);

        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Null(order.PaymentInProgressId);
        Assert.Equal(PaymentStatus.Captured, payment.Status);
        Assert.Equal(order.Total, payment.Amount);
        Assert.Throws<InvalidOperationException>(() => payment.Void(DateTimeOffset.UtcNow));
        payment.RequestRefund(DateTimeOffset.UtcNow);
        payment.MarkRefunded("refund_1", DateTimeOffset.UtcNow);
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
    }

    internal static Order NewOrder() => Order.Create(Guid.NewGuid(), Guid.NewGuid(), "a@b.c",
        new ShippingAddress("Ann", "1 Main St", null, "Springfield", "12345", "US"),
        new PricedOrder([new PricedLine(Guid.NewGuid(), "SKU-1", "Mug", 9.99m, 2)], "EUR", 19.98m),
        DateTimeOffset.UtcNow);
}
