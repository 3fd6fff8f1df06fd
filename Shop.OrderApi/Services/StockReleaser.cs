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
}
