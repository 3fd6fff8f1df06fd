using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Apis;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;

namespace Shop.OrderApi.Services;

/// <summary>Reads and transitions of existing orders. Never calls ProductApi to read: lines keep name and price.</summary>
public sealed class OrderService(
    OrderingDbContext db,
    OrderPayments payments,
    StockReleaser stock,
    TimeProvider time)
{
    public const int MaxPageSize = 100;

    /// <summary>The order if the caller owns it or is an admin; otherwise 404, with no hint that it exists.</summary>
    public async Task<Order> GetAsync(ClaimsPrincipal caller, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        return order is not null && (caller.IsAdmin() || order.UserId == caller.GetUserId())
            ? order
            : throw OrderProblemException.NotFound();
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
    /// Pays a pending order: 200 paid, 402 declined (the order stays pending), 409 when a cancellation or another
    /// payment got there first. The attempt is recorded and the order held before the provider is called, so a
    /// concurrent cancel answers 409 instead of racing the charge.
    /// </summary>
    public async Task<Order> PayAsync(ClaimsPrincipal caller, Guid orderId, string cardNumber, CancellationToken cancellationToken)
    {
        var order = await GetAsync(caller, orderId, cancellationToken);
        Payment payment;
        try
        {
            payment = await payments.BeginAsync(order, cancellationToken);
        }
        catch (PaymentInProgressException)
        {
            throw PaymentInProgress();
        }
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
            throw new OrderProblemException(StatusCodes.Status402PaymentRequired, "Payment Declined",
                payment.DeclineReason ?? "The payment was declined.", extensions: new Dictionary<string, object?> { ["paymentReference"] = payment.ProviderReference });
        }
        return order;
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
            ?? throw OrderProblemException.NotFound();
        Action<Order> transition = target switch
        {
            OrderStatus.Shipped => o => o.Ship(time.GetUtcNow()),
            OrderStatus.Delivered => o => o.Deliver(time.GetUtcNow()),
            _ => throw new OrderProblemException(StatusCodes.Status400BadRequest, "Bad Request",
                "Only 'shipped' and 'delivered' can be set here; use /pay and /cancel for the others."),
        };
        await TransitionAsync(order, transition, cancellationToken);
        return order;
    }

    /// <summary>Applies a transition and writes its event in one transaction; a concurrent change makes it a 409.</summary>
    private async Task TransitionAsync(Order order, Action<Order> transition, CancellationToken cancellationToken)
    {
        try
        {
            transition(order);
        }
        catch (PaymentInProgressException)
        {
            throw PaymentInProgress();
        }
        db.AddOrderEvent(order, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw OrderProblemException.Conflict("The order was changed by another request; reload it and try again.");
        }
    }

    private static OrderProblemException PaymentInProgress() =>
        new(StatusCodes.Status409Conflict, "Payment In Progress",
            "A payment of this order is being processed; reload the order after the time in Retry-After.", TimeSpan.FromSeconds(1));
}
