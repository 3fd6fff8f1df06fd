using Shop.ServiceDefaults.Refusals;

namespace Shop.OrderApi.Model;

/// <summary>Pending → Paid → Shipped → Delivered; Pending or Paid → Cancelled. Nothing else.</summary>
public static class OrderStateMachine
{
    public static bool CanTransition(OrderStatus from, OrderStatus to) => (from, to) switch
    {
        (OrderStatus.Pending, OrderStatus.Paid) => true,
        (OrderStatus.Paid, OrderStatus.Shipped) => true,
        (OrderStatus.Shipped, OrderStatus.Delivered) => true,
        (OrderStatus.Pending or OrderStatus.Paid, OrderStatus.Cancelled) => true,
        _ => false,
    };

    public static void EnsureCanTransition(OrderStatus from, OrderStatus to)
    {
        if (!CanTransition(from, to))
        {
            throw new IllegalOrderTransitionException(from, to);
        }
    }
}

/// <summary>The state machine forbids this step: a conflict with the order's current state ("Illegal Transition").</summary>
public sealed class IllegalOrderTransitionException(OrderStatus from, OrderStatus to)
    : ConflictRefusal($"An order that is {from} cannot become {to}.", "Illegal Transition",
        new Dictionary<string, object?> { ["from"] = from.ToApiName(), ["to"] = to.ToApiName() })
{
    public OrderStatus From { get; } = from;
    public OrderStatus To { get; } = to;
}

/// <summary>A payment attempt of the order has not settled yet; nothing else may change the order until it has.</summary>
public sealed class PaymentInProgressException(Guid orderId)
    : InvalidOperationException($"A payment of order {orderId} is in progress.")
{
    public Guid OrderId { get; } = orderId;
}
