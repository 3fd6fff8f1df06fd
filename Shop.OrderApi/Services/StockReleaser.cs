using Microsoft.EntityFrameworkCore;
using Grpc.Core;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.ProductApi.Grpc.V1;

namespace Shop.OrderApi.Services;

/// <summary>Gives a cancelled order's stock back. Idempotent; a failure is retried by <see cref="OrderMaintenanceService"/>.</summary>
public sealed class StockReleaser(OrderingDbContext db, ProductService.ProductServiceClient products, TimeProvider time, ILogger<StockReleaser> logger)
{
    public async Task<bool> TryReleaseAsync(Order order, CancellationToken cancellationToken)
    {
        try
        {
            await products.ReleaseStockAsync(new ReleaseStockRequest { OrderId = order.Id.ToString() }, cancellationToken: cancellationToken);
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Releasing the stock of cancelled order {OrderId} failed ({Status}); will retry", order.Id, ex.StatusCode);
            return false;
        }
        order.MarkStockReleased(time.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    /// <summary>Releases the stock of an order that was never stored, queued when its compensation failed.</summary>
    public async Task TryReleaseUnstoredAsync(Guid orderId, CancellationToken cancellationToken)
    {
        try
        {
            await products.ReleaseStockAsync(new ReleaseStockRequest { OrderId = orderId.ToString() }, cancellationToken: cancellationToken);
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Releasing the stock of unstored order {OrderId} failed again ({Status}); will retry", orderId, ex.StatusCode);
            await db.StockReleaseRetries.Where(r => r.OrderId == orderId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempts, r => r.Attempts + 1), CancellationToken.None);
            return;
        }
        await db.StockReleaseRetries.Where(r => r.OrderId == orderId).ExecuteDeleteAsync(CancellationToken.None);
        logger.LogInformation("Released the stock of unstored order {OrderId}", orderId);
    }
}
