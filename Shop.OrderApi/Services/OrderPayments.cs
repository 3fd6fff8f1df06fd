using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Services;

/// <summary>
/// Payments of orders, so that no charge exists without an order recording it. An attempt is recorded (Pending) and
/// the order held for it in one transaction before the provider is called; the provider's answer and the order's
/// outcome are then written in one transaction. An attempt left Pending by a process that died is settled by
/// <see cref="PaymentReconciler"/> from the provider's ledger; a refund is recorded with the cancellation and
/// confirmed once the provider made it.
/// </summary>
public sealed class OrderPayments(OrdersDbContext db, SimulatedPaymentProvider provider, OutboxSignal outboxSignal, TimeProvider time,
    ILogger<OrderPayments> logger)
{
    /// <summary>
    /// Holds the order for a new Pending attempt and records it, reading the order in the same statement, when the order
    /// can be paid now and is <paramref name="ownerId"/>'s (null: any owner's). Null when it cannot: nothing was stored,
    /// and the caller reads the order to refuse with the reason (<see cref="BeginAsync"/>).
    /// </summary>
    public Task<(Order Order, Payment Payment)?> TryBeginAsync(Guid orderId, Guid? ownerId, CancellationToken cancellationToken) =>
        db.TryHoldForNewAttemptAsync(orderId, ownerId, Guid.CreateVersion7(), time.GetUtcNow(), cancellationToken);

    /// <summary>Records a Pending attempt and holds the order for it; 409 when the order changed meanwhile.</summary>
    public async Task<Payment> BeginAsync(Order order, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var payment = Payment.BeginFor(order, now);
        try
        {
            await db.InsertAttemptHoldingOrderAsync(order, payment, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw OrderRefusals.ChangedMeanwhile();
        }
        return payment;
    }

    /// <summary>Charges a begun attempt and settles it. Not cancellable: once recorded, the attempt is seen through.</summary>
    public async Task ChargeAsync(Order order, Payment payment, string cardNumber)
    {
        var answer = await provider.ChargeAsync(payment.Id, payment.Amount, payment.Currency, cardNumber, CancellationToken.None);
        await SettleAsync(order, payment, answer, CancellationToken.None);
    }

    /// <summary>Writes the provider's final answer for a Pending attempt together with the order's outcome.</summary>
    public async Task SettleAsync(Order order, Payment payment, ProviderPayment answer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        OutboxMessage? @event = null;
        switch (answer.Status)
        {
            case ProviderPayment.Captured:
                payment.Capture(answer.Reference, now);
                order.CompletePayment(payment.Id, answer.Reference, now);
                @event = OutboxExtensions.OutboxMessageFor(order, now);
                break;
            case ProviderPayment.Declined:
                payment.Decline(answer.Reference, answer.DeclineReason, now);
                order.AbandonPayment(payment.Id, now);
                break;
            case ProviderPayment.Voided:
                payment.Void(now);
                order.AbandonPayment(payment.Id, now);
                break;
            default:
                throw new InvalidOperationException($"Payment {payment.Id} of order {order.Id} is {answer.Status} at the provider while still pending here.");
        }
        await db.UpdateSettledAttemptAsync(order, payment, @event, cancellationToken);
        if (@event is not null) outboxSignal.Notify();
    }

    /// <summary>
    /// For a paid order about to be cancelled: marks its captured payment RefundPending, saved by the cancellation's
    /// own SaveChanges. Null for an order with nothing captured.
    /// </summary>
    public async Task<Payment?> RequestRefundAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.Status != OrderStatus.Paid) return null;
        var captured = await db.Payments.SingleOrDefaultAsync(p => p.OrderId == order.Id && p.Status == PaymentStatus.Captured, cancellationToken);
        captured?.RequestRefund(time.GetUtcNow());
        return captured;
    }

    /// <summary>Asks the provider for a recorded refund and confirms it; a failure is left to the reconciler.</summary>
    public async Task<bool> TryRefundAsync(Order order, Payment payment, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await provider.RefundAsync(payment.Id, cancellationToken);
            if (answer is not { Status: ProviderPayment.Refunded, RefundReference: { } refundReference })
            {
                logger.LogError("Payment {PaymentId} of cancelled order {OrderId} is {Status} at the provider and cannot be refunded",
                    payment.Id, order.Id, answer.Status);
                return false;
            }
            var now = time.GetUtcNow();
            payment.MarkRefunded(refundReference, now);
            order.MarkRefunded(refundReference, now);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Payment {PaymentId} of cancelled order {OrderId} refunded ({RefundReference})", payment.Id, order.Id, refundReference);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Refunding payment {PaymentId} of cancelled order {OrderId} failed; the reconciler retries it", payment.Id, order.Id);
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
