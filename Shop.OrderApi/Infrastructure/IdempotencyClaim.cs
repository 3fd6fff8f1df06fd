namespace Shop.OrderApi.Infrastructure;

/// <summary>
/// One row per (user, Idempotency-Key), inserted before any other service is called: the primary key makes
/// concurrent duplicates wait for the first request instead of creating a second order.
/// </summary>
public sealed class IdempotencyClaim
{
    public Guid UserId { get; set; }
    public string Key { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public Guid OrderId { get; set; }
    public DateTimeOffset ClaimedAt { get; set; }
}
