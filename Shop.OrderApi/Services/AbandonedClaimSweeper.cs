using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.OrderApi.Infrastructure;
using Shop.ProductApi.Grpc.V1;

namespace Shop.OrderApi.Services;

/// <summary>
/// Gives back the stock of orders that were never stored because the request placing them died (or outlived its
/// lease). An idempotency claim whose lease ended without the order being stored is first revoked (from then on
/// the order's insert, conditional on the claim, fails), then ProductService.ReleaseStock(order id) runs
/// (idempotent; for an id never reserved it blocks any late reservation), then the claim is deleted so the client's
/// retry with the same key starts afresh. Safe on both replicas: revoking skips rows a request is completing, and
/// a revoked claim released twice is released once.
/// </summary>
public sealed class AbandonedClaimSweeper(OrdersDbContext db, ProductService.ProductServiceClient products,
    IOptionsMonitor<OrderRecoveryOptions> options, TimeProvider time, ILogger<AbandonedClaimSweeper> logger)
{
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var batch = options.CurrentValue.BatchSize;
        var now = time.GetUtcNow();
        var revoked = await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE idempotency_claims SET "RevokedAt" = {now}
            WHERE ("UserId", "Key") IN (
                SELECT "UserId", "Key" FROM idempotency_claims
                WHERE "CompletedAt" IS NULL AND "RevokedAt" IS NULL AND "LeaseExpiresAt" < {now}
                ORDER BY "LeaseExpiresAt" LIMIT {batch}
                FOR UPDATE SKIP LOCKED)
            """, cancellationToken);
        if (revoked > 0)
        {
            logger.LogWarning("Revoked {Count} idempotency claims whose lease ended without a stored order; releasing their stock", revoked);
        }

        var toRelease = await db.IdempotencyClaims.AsNoTracking().Where(c => c.RevokedAt != null)
            .OrderBy(c => c.RevokedAt).Take(batch).ToListAsync(cancellationToken);
        foreach (var claim in toRelease)
        {
            try
            {
                await products.ReleaseStockAsync(new ReleaseStockRequest { OrderId = claim.OrderId.ToString() }, cancellationToken: cancellationToken);
            }
            catch (RpcException ex)
            {
                logger.LogWarning("Releasing the stock of abandoned order {OrderId} failed ({Status}); will retry", claim.OrderId, ex.StatusCode);
                continue;
            }
            await db.IdempotencyClaims
                .Where(c => c.UserId == claim.UserId && c.Key == claim.Key && c.OrderId == claim.OrderId && c.RevokedAt != null)
                .ExecuteDeleteAsync(cancellationToken);
        }
    }
}
