using Microsoft.EntityFrameworkCore;
using Grpc.Core;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.ProductApi.Grpc.V1;

namespace Shop.OrderApi.Services;

/// <summary>
/// Gives reserved stock back: of cancelled orders, and of orders that were never stored. ReleaseStock is idempotent
/// per order id; a failure is retried by <see cref="OrderMaintenanceService"/>.
/// </summary>
public sealed class StockReleaser(OrdersDbContext db, ProductService.ProductServiceClient products, TimeProvider time, ILogger<StockReleaser> logger)
{
    public async Task<bool> TryReleaseAsync(Order order, CancellationToken cancellationToken)
    {
        if (!await TryReleaseAsync(order.Id, "cancelled", cancellationToken)) return false;
        // Not a tracked save: the request and the maintenance job may both get here, and neither must fail on it.
        var now = time.GetUtcNow();
        await db.Orders.Where(o => o.Id == order.Id && o.StockReleasedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.StockReleasedAt, now), CancellationToken.None);
        return true;
    }

    /// <summary>
    /// Compensates a reservation whose order was not stored. When ProductApi does not answer, the release is queued
    /// (<see cref="StockReleaseRetry"/>). False when it could be neither released nor queued: the caller's claim must
    /// then stay, as the reservation's owner, for the sweeper.
    /// </summary>
    public async Task<bool> ReleaseOrQueueAsync(Guid orderId)
    {
        if (await TryReleaseAsync(orderId, "failed", CancellationToken.None)) return true;
        try
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO stock_release_retries ("OrderId", "FailedAt", "Attempts") VALUES ({orderId}, {time.GetUtcNow()}, 1)
                ON CONFLICT DO NOTHING
                """, CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not queue the stock release of failed order {OrderId}; its idempotency claim stays for the sweeper", orderId);
            return false;
        }
    }

    /// <summary>Retries a queued release of an order that was never stored.</summary>
    public async Task TryReleaseUnstoredAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var queued = db.StockReleaseRetries.Where(r => r.OrderId == orderId);
        if (await TryReleaseAsync(orderId, "unstored", cancellationToken))
        {
            await queued.ExecuteDeleteAsync(CancellationToken.None);
            logger.LogInformation("Released the stock of unstored order {OrderId}", orderId);
        }
        else
        {
            await queued.ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempts, r => r.Attempts + 1), CancellationToken.None);
        }
    }

    private async Task<bool> TryReleaseAsync(Guid orderId, string kind, CancellationToken cancellationToken)
    {
        try
        {
            await products.ReleaseStockAsync(new ReleaseStockRequest { OrderId = orderId.ToString() }, cancellationToken: cancellationToken);
            return true;
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Releasing the stock of {Kind} order {OrderId} failed ({Status}); will retry", kind, orderId, ex.StatusCode);
            return false;
        }
    }
}
