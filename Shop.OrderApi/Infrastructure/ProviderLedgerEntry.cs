namespace Shop.OrderApi.Infrastructure;

/// <summary>
/// The simulated payment provider's own ledger (table simulated_provider_ledger), one row per payment id, which is
/// the idempotency key a client sends: a charge, a void or a refund repeated with the same key changes nothing.
/// It stands in for the provider's side of the world; order-api's record of its attempts is <c>payments</c>.
/// </summary>
public sealed class ProviderLedgerEntry
{
    public Guid PaymentId { get; set; }
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "";

    /// <summary>Captured, Declined, Voided (the key was voided before any charge) or Refunded.</summary>
    public string Status { get; set; } = "";
    public string Reference { get; set; } = "";
    public string? DeclineReason { get; set; }
    public string? RefundReference { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RefundedAt { get; set; }
}
