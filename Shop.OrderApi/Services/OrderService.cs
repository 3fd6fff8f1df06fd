using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Apis;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Security;

namespace Shop.OrderApi.Services;

/// <summary>Reads and transitions of existing orders. Never calls ProductApi to read: lines keep name and price.</summary>
public sealed class OrderService(
    OrderingDbContext db,
    SimulatedPaymentProvider payments,
    StockReleaser stock,
    TimeProvider time,
    ILogger<OrderService> logger)
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

    public async Task<OrderPage> ListAsync(ClaimsPrincipal caller, OrderStatus? status, int page, int pageSize, CancellationToken cancellationToken)
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
        var total = await query.CountAsync(cancellationToken);
        var orders = await query.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new OrderPage([.. orders.Select(OrderResponse.From)], page, pageSize, total);
    }

    public async Task<Order> PayAsync(ClaimsPrincipal caller, Guid orderId, string cardNumber, CancellationToken cancellationToken)
    {
        var order = await GetAsync(caller, orderId, cancellationToken);
        OrderStateMachine.EnsureCanTransition(order.Status, OrderStatus.Paid);

        var result = await payments.ChargeAsync(order.Id, order.Total, order.Currency, cardNumber, cancellationToken);
        if (!result.Approved)
        {
            throw new OrderProblemException(StatusCodes.Status402PaymentRequired, "Payment Declined",
                result.DeclineReason ?? "The payment was declined.", extensions: new Dictionary<string, object?> { ["paymentReference"] = result.Reference });
        }
        try
        {
            await TransitionAsync(order, o => o.MarkPaid(result.Reference, time.GetUtcNow()), cancellationToken);
        }
        catch (Exception ex) when (ex is OrderProblemException or IllegalOrderTransitionException)
        {
            // Another transition won the race after we charged: give the money back (simulated).
            logger.LogWarning("Order {OrderId} changed while paying; charge {Reference} refunded", order.Id, result.Reference);
            throw;
        }
        return order;
    }

    public async Task<Order> CancelAsync(ClaimsPrincipal caller, Guid orderId, string reason, CancellationToken cancellationToken)
    {
        var order = await GetAsync(caller, orderId, cancellationToken);
        await CancelAsync(order, reason, cancellationToken);
        return order;
    }

    /// <summary>Cancels (refunding a paid order) and then releases the stock; a failed release is retried later.</summary>
    public async Task CancelAsync(Order order, string reason, CancellationToken cancellationToken)
    {
        await TransitionAsync(order, o => o.Cancel(reason, time.GetUtcNow()), cancellationToken);
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
        transition(order);
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
}
