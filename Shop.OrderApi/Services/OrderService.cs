using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;

namespace Shop.OrderApi.Services;

/// <summary>One page of orders, newest first, and how many match in all.</summary>
public sealed record OrderList(IReadOnlyList<Order> Orders, int Total);

/// <summary>Reads and transitions of existing orders. Never calls ProductApi to read: lines keep name and price.</summary>
public sealed class OrderService(
    OrdersDbContext db,
    OrderPayments payments,
    StockReleaser stock,
    TimeProvider time)
{
    /// <summary>The order if the caller owns it or is an admin; otherwise not found, with no hint that it exists.</summary>
    public async Task<Order> GetAsync(ClaimsPrincipal caller, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        return order is not null && (caller.IsAdmin() || order.UserId == caller.GetUserId())
            ? order
            : throw OrderRefusals.NoSuchOrder();
    }

    public async Task<Page<Order>> ListAsync(ClaimsPrincipal caller, OrderStatus? status, PageRequest page, CancellationToken cancellationToken)
    {
        var query = db.Orders.AsNoTracking();
        if (!caller.IsAdmin())
        {
            var userId = caller.GetUserId();
            query = query.Where(o => o.UserId == userId);
        }
        if (status is { } s)
        {
            query = query.Where(o => o.Status == s);
        }
        return await query.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id).ToPageAsync(page, cancellationToken);
    }

    /// <summary>
    /// Pays a pending order: the paid order, <see cref="PaymentDeclinedRefusal"/> (the order stays pending; its
    /// <c>orderId</c> and <c>paymentReference</c> are in the problem), or a conflict when a cancellation or another
    /// payment got there first. The attempt is recorded and the order held before the provider is called, so a
    /// concurrent cancel is refused instead of racing the charge.
    /// </summary>
    public async Task<Order> PayAsync(ClaimsPrincipal caller, Guid orderId, string cardNumber, CancellationToken cancellationToken)
    {
        var (order, payment) = await payments.TryBeginAsync(orderId, caller.IsAdmin() ? null : caller.GetUserId(), cancellationToken)
            ?? await BeginAfterReadingAsync(caller, orderId, cancellationToken);
        return await ChargeHeldAsync(order, payment, cardNumber);
    }

    /// <summary>
    /// Charges the Pending attempt <paramref name="payment"/> that holds <paramref name="order"/> (begun by
    /// <see cref="PayAsync"/>, or stored with the order at placement) and settles it: the paid order, or
    /// <see cref="PaymentDeclinedRefusal"/> as <see cref="PayAsync"/> answers.
    /// </summary>
    public async Task<Order> ChargeHeldAsync(Order order, Payment payment, string cardNumber)
    {
        var orderId = order.Id;
        try
        {
            await payments.ChargeAsync(order, payment, cardNumber);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The reconciler settled this attempt first; answer with what it recorded.
            db.ChangeTracker.Clear();
            payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == payment.Id, CancellationToken.None);
            order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId, CancellationToken.None);
        }
        if (payment.Status is PaymentStatus.Declined or PaymentStatus.Voided)
        {
            throw Declined(orderId, payment);
        }
        return order;
    }

    /// <summary>
    /// A replayed checkout (an order placed with its payment) answers where the checkout stands, never charging
    /// again: 409 with Retry-After while its attempt is in progress, <see cref="PaymentDeclinedRefusal"/> while the
    /// order is pending after a declined or voided attempt, else the order as it is (paid, possibly by /pay since).
    /// </summary>
    public async Task<Order> ReplayCheckoutAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.Status != OrderStatus.Pending) return order;
        if (order.PaymentInProgressId is not null) throw OrderRefusals.PaymentInProgress(order.Id);
        var last = await db.Payments.AsNoTracking().Where(p => p.OrderId == order.Id)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return last is { Status: PaymentStatus.Declined or PaymentStatus.Voided } ? throw Declined(order.Id, last) : order;
    }

    private static PaymentDeclinedRefusal Declined(Guid orderId, Payment payment) =>
        new(payment.DeclineReason ?? "The payment was declined.",
            new Dictionary<string, object?> { ["orderId"] = orderId, ["paymentReference"] = payment.ProviderReference });

    /// <summary>
    /// The order could not be held in one statement: read it, so that the domain refuses with the reason (not found, not
    /// pending, a payment in progress), or holds it if it changed meanwhile.
    /// </summary>
    private async Task<(Order Order, Payment Payment)> BeginAfterReadingAsync(ClaimsPrincipal caller, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await GetAsync(caller, orderId, cancellationToken);
        try
        {
            return (order, await payments.BeginAsync(order, cancellationToken));
        }
        catch (PaymentInProgressException)
        {
            throw OrderRefusals.PaymentInProgress(order.Id);
        }
    }

    public async Task<Order> CancelAsync(ClaimsPrincipal caller, Guid orderId, string reason, CancellationToken cancellationToken)
    {
        var order = await GetAsync(caller, orderId, cancellationToken);
        await CancelAsync(order, reason, cancellationToken);
        return order;
    }

    /// <summary>
    /// Cancels, recording the refund of a paid order's payment in the same transaction, then refunds and releases
    /// the stock. The cancelled order is the durable memory of both: a failed refund or release is retried later.
    /// </summary>
    public async Task CancelAsync(Order order, string reason, CancellationToken cancellationToken)
    {
        var refund = await payments.RequestRefundAsync(order, cancellationToken);
        await TransitionAsync(order, o => o.Cancel(reason, time.GetUtcNow()), cancellationToken);
        if (refund is not null)
        {
            await payments.TryRefundAsync(order, refund, CancellationToken.None);
        }
        await stock.TryReleaseAsync(order, CancellationToken.None);
    }

    public async Task<Order> ChangeStatusAsync(Guid orderId, OrderStatus target, CancellationToken cancellationToken)
    {
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken)
            ?? throw OrderRefusals.NoSuchOrder();
        Action<Order> transition = target switch
        {
            OrderStatus.Shipped => o => o.Ship(time.GetUtcNow()),
            OrderStatus.Delivered => o => o.Deliver(time.GetUtcNow()),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Only shipped and delivered are set by hand (OrdersApi checks the request)."),
        };
        await TransitionAsync(order, transition, cancellationToken);
        return order;
    }

    /// <summary>Applies a transition and writes its event in one transaction; a concurrent change makes it a conflict.</summary>
    private async Task TransitionAsync(Order order, Action<Order> transition, CancellationToken cancellationToken)
    {
        try
        {
            transition(order);
        }
        catch (PaymentInProgressException)
        {
            throw OrderRefusals.PaymentInProgress(order.Id);
        }
        db.AddOrderEvent(order, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw OrderRefusals.ChangedMeanwhile();
        }
    }
}
