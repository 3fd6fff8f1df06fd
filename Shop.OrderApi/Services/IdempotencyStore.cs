using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;

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
/// for it. The order id is fixed at claim time and is the stock reservation's key, so a request taking over an
/// abandoned claim replays, not repeats, the reservation.
/// </summary>
public sealed class IdempotencyStore(OrderingDbContext db, TimeProvider time)
{
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(30);

    public async Task<ClaimOutcome> ClaimAsync(Guid userId, string key, string requestHash, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + WaitForFirst;
        while (true)
        {
            var orderId = Guid.CreateVersion7();
            var now = time.GetUtcNow();
            var inserted = await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO idempotency_claims ("UserId", "Key", "RequestHash", "OrderId", "ClaimedAt")
                VALUES ({userId}, {key}, {requestHash}, {orderId}, {now})
                ON CONFLICT DO NOTHING
                """, cancellationToken);
            if (inserted == 1)
            {
                return new ClaimOutcome.Claimed(orderId);
            }

            var claim = await db.IdempotencyClaims.AsNoTracking()
                .SingleOrDefaultAsync(c => c.UserId == userId && c.Key == key, cancellationToken);
            if (claim is null)
            {
                continue; // released by a failed first request between our insert and read: claim again
            }
            if (claim.RequestHash != requestHash)
            {
                throw new OrderProblemException(StatusCodes.Status422UnprocessableEntity, "Idempotency Key Reused",
                    "This Idempotency-Key was already used with a different request body.");
            }
            var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == claim.OrderId, cancellationToken);
            if (order is not null)
            {
                return new ClaimOutcome.Completed(order);
            }
            if (claim.ClaimedAt < now - AbandonedAfter && await TakeOverAsync(claim, now, cancellationToken))
            {
                return new ClaimOutcome.Claimed(claim.OrderId);
            }
            if (now > deadline)
            {
                throw OrderProblemException.Conflict("A request with this Idempotency-Key is still being processed; retry shortly.");
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Frees the key after a request that created no order, so the client may retry with it.</summary>
    public Task ReleaseAsync(Guid userId, string key, Guid orderId) =>
        db.IdempotencyClaims.Where(c => c.UserId == userId && c.Key == key && c.OrderId == orderId)
            .ExecuteDeleteAsync(CancellationToken.None);

    private async Task<bool> TakeOverAsync(IdempotencyClaim claim, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.IdempotencyClaims
            .Where(c => c.UserId == claim.UserId && c.Key == claim.Key && c.ClaimedAt == claim.ClaimedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClaimedAt, now), cancellationToken) == 1;
}
