using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Refusals;

namespace Shop.OrderApi.Services;

public abstract record ClaimOutcome
{
    /// <summary>This request owns the key: create the order with this id.</summary>
    public sealed record Claimed(Guid OrderId) : ClaimOutcome;

    /// <summary>An earlier request with the same key and body created this order.</summary>
    public sealed record Completed(Order Order) : ClaimOutcome;
}

/// <summary>
/// Idempotency keys, scoped per user. The claim row (primary key user + key) is inserted before any other
/// service is called, so of N concurrent identical requests exactly one creates the order and the others wait
/// for it. The order id is fixed at claim time and is the stock reservation's key. The claim carries a lease: the
/// order must be stored (completing the claim in the order's own statement, see <see cref="PlacedOrderWrites"/>) before the sweeper revokes an
/// expired claim and releases its stock; a revoked claim is deleted once released, and the key starts afresh.
/// </summary>
public sealed class IdempotencyStore(OrdersDbContext db, IOptionsMonitor<OrderRecoveryOptions> options, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<ClaimOutcome> ClaimAsync(Guid userId, string key, string requestHash, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.CurrentValue.WaitForFirst;
        while (true)
        {
            var orderId = Guid.CreateVersion7();
            var now = time.GetUtcNow();
            var leaseExpiresAt = now + options.CurrentValue.ClaimLease;
            var inserted = await db.Database.ExecuteStatementAsync(
                $"""
                INSERT INTO idempotency_claims ("UserId", "Key", "RequestHash", "OrderId", "ClaimedAt", "LeaseExpiresAt")
                VALUES ({userId}, {key}, {requestHash}, {orderId}, {now}, {leaseExpiresAt})
                ON CONFLICT DO NOTHING
                """, cancellationToken);
            if (inserted == 1)
            {
                return new ClaimOutcome.Claimed(orderId);
            }

            var claim = await db.IdempotencyClaims.AsNoTracking()
                .SingleOrDefaultAsync(c => c.UserId == userId && c.Key == key, cancellationToken);
            if (claim?.OrderId == orderId)
            {
                return new ClaimOutcome.Claimed(orderId); // our own insert, whose answer was lost and which the execution strategy ran again
            }
            if (claim is null)
            {
                continue; // released by a failed first request (or swept) between our insert and read: claim again
            }
            if (claim.RequestHash != requestHash)
            {
                throw new UnprocessableRefusal("Idempotency Key Reused",
                    "This Idempotency-Key was already used with a different request body.");
            }
            var order = claim.CompletedAt is null ? null
                : await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == claim.OrderId, cancellationToken);
            if (order is not null)
            {
                return new ClaimOutcome.Completed(order);
            }
            if (now > deadline)
            {
                throw new ConflictRefusal("A request with this Idempotency-Key is still being processed; retry after the time in Retry-After.")
                {
                    RetryAfter = RetryAfterFor(claim, now),
                };
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Frees the key after a request that created no order, so the client may retry with it.</summary>
    public Task ReleaseAsync(Guid userId, string key, Guid orderId) =>
        db.IdempotencyClaims.Where(c => c.UserId == userId && c.Key == key && c.OrderId == orderId && c.CompletedAt == null)
            .ExecuteDeleteAsync(CancellationToken.None);

    /// <summary>Until the claim's lease ends and the sweeper has had a turn to free the key.</summary>
    private TimeSpan RetryAfterFor(IdempotencyClaim claim, DateTimeOffset now)
    {
        var remainingLease = claim.RevokedAt is null && claim.LeaseExpiresAt > now ? claim.LeaseExpiresAt - now : TimeSpan.Zero;
        return remainingLease + options.CurrentValue.SweepInterval;
    }
}
