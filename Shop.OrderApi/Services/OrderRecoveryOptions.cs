namespace Shop.OrderApi.Services;

/// <summary>
/// Section "Orders:Recovery" (live-reloaded): how soon the work of a request that died is finished by the sweepers.
/// Stock held for an order that was never stored comes back within <see cref="ClaimLease"/> + <see cref="SweepInterval"/>
/// (+ one ReleaseStock call); an unsettled payment is settled within <see cref="PaymentSettleAfter"/> + <see cref="SweepInterval"/>.
/// </summary>
public sealed class OrderRecoveryOptions
{
    public const string SectionName = "Orders:Recovery";

    /// <summary>
    /// How long a request owns its idempotency claim and the stock reserved under it. Longer than a healthy create
    /// takes (three gRPC calls, each bounded by Orders:GrpcResilience:TotalTimeout); a request past it fails with 503.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a request whose Idempotency-Key another request is still processing waits for that one's order before
    /// it answers 409 with Retry-After (a double submit usually gets the order from its twin within this).
    /// </summary>
    public TimeSpan WaitForFirst { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A payment attempt still Pending after this long is settled from the provider's ledger.</summary>
    public TimeSpan PaymentSettleAfter { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);
    public int BatchSize { get; set; } = 100;
}
