using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Infrastructure;

namespace Shop.OrderApi.Services;

/// <summary>Section "Orders:Payment" (live-reloaded).</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Orders:Payment";

    /// <summary>This card number is always declined (documented for testers, like a card network's test cards).</summary>
    public const string DecliningTestCard = "4000000000000002";

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Share of payments with other cards that the provider declines at random (0 to 1).</summary>
    public double FailureRate { get; set; }
}

/// <summary>The provider's answer for one payment id: Captured, Declined, Voided or Refunded, with its references.</summary>
public sealed record ProviderPayment(string Status, string Reference, string? DeclineReason, string? RefundReference)
{
    public const string Captured = "Captured";
    public const string Declined = "Declined";
    public const string Voided = "Voided";
    public const string Refunded = "Refunded";
}

/// <summary>
/// A simulated card payment provider: configurable latency and failure rate, one always-declining card. Like a real
/// provider it is idempotent per payment id and keeps a durable ledger (<see cref="ProviderLedgerEntry"/>): the first
/// call for an id decides its outcome, every later call (a retry, a status query) answers with that outcome.
/// </summary>
public sealed class SimulatedPaymentProvider(OrdersDbContext db, Microsoft.Extensions.Options.IOptionsMonitor<PaymentOptions> options, TimeProvider time)
{
    /// <summary>Charges <paramref name="amount"/> (in <paramref name="currency"/>) once per payment id.</summary>
    public async Task<ProviderPayment> ChargeAsync(Guid paymentId, decimal amount, string currency, string cardNumber, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, time, cancellationToken);
        }
        var declineReason = cardNumber == PaymentOptions.DecliningTestCard ? "The card was declined."
            : Random.Shared.NextDouble() < settings.FailureRate ? "The payment provider declined the charge."
            : null;
        var status = declineReason is null ? ProviderPayment.Captured : ProviderPayment.Declined;
        return await RecordFirstAsync(paymentId, amount, currency, status, declineReason, cancellationToken);
    }

    /// <summary>
    /// The outcome of a payment id, for a caller that lost track of it. An id never charged is voided, so that a
    /// charge still on its way with it is refused: the answer is final either way.
    /// </summary>
    public async Task<ProviderPayment> ResolveAsync(Guid paymentId, decimal amount, string currency, CancellationToken cancellationToken)
    {
        return await RecordFirstAsync(paymentId, amount, currency, ProviderPayment.Voided, null, cancellationToken);
    }

    /// <summary>Refunds a captured payment in full; repeated, it answers with the same refund.</summary>
    public async Task<ProviderPayment> RefundAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var refundReference = $"refund_{Guid.CreateVersion7():N}";
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE simulated_provider_ledger SET "Status" = {ProviderPayment.Refunded}, "RefundReference" = {refundReference}, "RefundedAt" = {now}
            WHERE "PaymentId" = {paymentId} AND "Status" = {ProviderPayment.Captured}
            """, cancellationToken);
        return await ReadAsync(paymentId, cancellationToken);
    }

    /// <summary>
    /// Records the first outcome for the payment id and answers with the recorded one: the insert returns its row in
    /// the same statement; only a repeated id (the insert found a row) reads the first outcome with a second one.
    /// </summary>
    private async Task<ProviderPayment> RecordFirstAsync(Guid paymentId, decimal amount, string currency, string status, string? declineReason,
        CancellationToken cancellationToken)
    {
        var inserted = await db.Database.QueryStatementAsync(
            $"""
            INSERT INTO simulated_provider_ledger ("PaymentId", "Amount", "Currency", "Status", "Reference", "DeclineReason", "CreatedAt")
            VALUES ({paymentId}, {amount}, {currency}, {status}, {$"pay_{Guid.CreateVersion7():N}"}, {declineReason}, {time.GetUtcNow()})
            ON CONFLICT ("PaymentId") DO NOTHING
            RETURNING "Status", "Reference", "DeclineReason", "RefundReference"
            """, row => new ProviderPayment(row.GetString(0), row.GetString(1), row.IsDBNull(2) ? null : row.GetString(2),
                row.IsDBNull(3) ? null : row.GetString(3)), cancellationToken);
        return inserted.Count == 1 ? inserted[0] : await ReadAsync(paymentId, cancellationToken);
    }

    private async Task<ProviderPayment> ReadAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        var entry = await db.ProviderLedger.AsNoTracking().SingleAsync(e => e.PaymentId == paymentId, cancellationToken);
        return ToPayment(entry);
    }

    private static ProviderPayment ToPayment(ProviderLedgerEntry entry) =>
        new(entry.Status, entry.Reference, entry.DeclineReason, entry.RefundReference);
}
