namespace Shop.OrderApi.Infrastructure;

/// <summary>
/// Stock reserved for an order that was never stored, whose release failed (ProductApi unreachable). Nothing else
/// refers to that order id, so this row is the only memory of the reservation: the maintenance job releases it
/// (ReleaseStock is idempotent per order id) and deletes the row.
/// </summary>
public sealed class StockReleaseRetry
{
    public Guid OrderId { get; set; }
    public DateTimeOffset FailedAt { get; set; }
    public int Attempts { get; set; }
}
