using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Services;

/// <summary>
/// Settles payment attempts a request did not see through (its process died, or the provider or database failed
/// mid-way): a Pending attempt older than Orders:Recovery:PaymentSettleAfter takes the provider's answer for its
/// payment id (an id never charged is voided there, so a late charge cannot follow), and a RefundPending one is
/// refunded. Safe on both replicas: provider calls are idempotent per payment id and settling is optimistic.
/// </summary>
public sealed class PaymentReconciler(IServiceScopeFactory scopes, IOptionsMonitor<OrderRecoveryOptions> options, TimeProvider time,
    ILogger<PaymentReconciler> logger)
{
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var cutoff = time.GetUtcNow() - settings.PaymentSettleAfter;
        List<Guid> unsettled;
        await using (var scope = scopes.CreateAsyncScope())
        {
            unsettled = await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Payments
                .Where(p => (p.Status == PaymentStatus.Pending || p.Status == PaymentStatus.RefundPending) && p.UpdatedAt < cutoff)
                .OrderBy(p => p.UpdatedAt).Select(p => p.Id).Take(settings.BatchSize).ToListAsync(cancellationToken);
        }
        foreach (var id in unsettled)
        {
            await SettleAsync(id, cancellationToken);
        }
    }

    private async Task SettleAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var payments = scope.ServiceProvider.GetRequiredService<OrderPayments>();
        var payment = await db.Payments.SingleAsync(p => p.Id == paymentId, cancellationToken);
        var order = await db.Orders.SingleAsync(o => o.Id == payment.OrderId, cancellationToken);
        try
        {
            if (payment.Status == PaymentStatus.Pending)
            {
                var answer = await scope.ServiceProvider.GetRequiredService<SimulatedPaymentProvider>()
                    .ResolveAsync(payment.Id, payment.Amount, payment.Currency, cancellationToken);
                await payments.SettleAsync(order, payment, answer, cancellationToken);
                logger.LogWarning("Settled unfinished payment {PaymentId} of order {OrderId}: {Status}", payment.Id, order.Id, payment.Status);
            }
            else if (payment.Status == PaymentStatus.RefundPending)
            {
                await payments.TryRefundAsync(order, payment, cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // Settled by its own request or by the other replica meanwhile.
        }
    }
}
