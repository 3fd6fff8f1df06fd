namespace Shop.OrderApi.Infrastructure;

/// <summary>
/// One row per (user, Idempotency-Key), inserted before any other service is called: the primary key makes
/// concurrent duplicates wait for the first request instead of creating a second order. It is also the durable
/// owner of the stock reserved under <see cref="OrderId"/>: a claim neither completed (order stored) nor released by
/// its request when its lease ends is revoked by the <c>AbandonedClaimSweeper</c>, which gives the stock back.
/// </summary>
public sealed class IdempotencyClaim
{
    public Guid UserId { get; set; }
    public string Key { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public Guid OrderId { get; set; }
    public DateTimeOffset ClaimedAt { get; set; }

    /// <summary>Until when the claiming request may still store its order; after it, the claim may be revoked.</summary>
    public DateTimeOffset LeaseExpiresAt { get; set; }

    /// <summary>Set in the transaction that stores the order.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Set by the sweeper before it releases the stock: from then on no order can be stored under this claim.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
