using Microsoft.EntityFrameworkCore;
using Shop.ProductApi.Caching;
using Shop.ProductApi.Infrastructure;
using Shop.ProductApi.Model;

namespace Shop.ProductApi.Inventory;

public abstract record ReservationOutcome(bool Replayed)
{
    public sealed record Reserved(bool Replayed) : ReservationOutcome(Replayed);

    public sealed record Rejected(IReadOnlyList<StockShortage> Shortages, bool Replayed) : ReservationOutcome(Replayed);
}

/// <summary>
/// Reserves and releases stock for orders, always against PostgreSQL (never the cache). One transaction per call:
/// the reservation row keyed by order id is inserted first, so a concurrent replay of the same order waits on that
/// key and then reads the first call's outcome; the products are locked in id order (no deadlocks between orders)
/// and checked, then all are decremented or none. The CHECK (stock >= 0) constraint backs this up.
/// </summary>
public sealed class StockReservations(CatalogDbContext db, CatalogCache cache, ILogger<StockReservations> logger)
{
    private sealed record StockRow(Guid Id, int Stock);

    public async Task<ReservationOutcome> ReserveAsync(Guid orderId, IReadOnlyDictionary<Guid, int> quantities, CancellationToken cancellationToken)
    {
        var ids = quantities.Keys.Order().ToArray();
        var amounts = ids.Select(id => quantities[id]).ToArray();

        var outcome = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var inserted = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO reservations (order_id, status, created_at) VALUES ({orderId}, {nameof(ReservationStatus.Reserved)}, now()) ON CONFLICT (order_id) DO NOTHING", token);
            if (inserted == 0)
            {
                // Another call for this order committed first (or is the one we waited for): answer as it did.
                await transaction.RollbackAsync(token);
                return await ReplayAsync(orderId, token);
            }

            var rows = await db.Database.SqlQuery<StockRow>(
                $"SELECT id AS \"Id\", stock AS \"Stock\" FROM products WHERE id = ANY({ids}) ORDER BY id FOR UPDATE").ToDictionaryAsync(r => r.Id, token);
            var shortages = ids
                .Where(id => !rows.TryGetValue(id, out var row) || row.Stock < quantities[id])
                .Select(id => new StockShortage(id, quantities[id], rows.TryGetValue(id, out var row) ? row.Stock : null))
                .ToList();

            if (shortages.Count > 0)
            {
                var reservation = await db.Reservations.SingleAsync(r => r.OrderId == orderId, token);
                reservation.Status = ReservationStatus.Rejected;
                reservation.Shortages = shortages;
                await db.SaveChangesAsync(token);
                await transaction.CommitAsync(token);
                return (ReservationOutcome)new ReservationOutcome.Rejected(shortages, Replayed: false);
            }

            await db.Database.ExecuteSqlAsync($"""
                UPDATE products SET stock = products.stock - r.quantity, updated_at = now()
                FROM unnest({ids}, {amounts}) AS r(id, quantity) WHERE products.id = r.id
                """, token);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO reservation_lines (order_id, product_id, quantity)
                SELECT {orderId}, r.id, r.quantity FROM unnest({ids}, {amounts}) AS r(id, quantity)
                """, token);
            await transaction.CommitAsync(token);
            return new ReservationOutcome.Reserved(Replayed: false);
        }, cancellationToken);

        if (outcome is ReservationOutcome.Reserved { Replayed: false })
        {
            logger.LogDebug("Reserved stock for order {OrderId}: {ItemCount} products", orderId, ids.Length);
            await cache.InvalidateAsync(ids, lists: false);
        }
        return outcome;
    }

    /// <summary>Puts a reserved order's quantities back; false when the order is unknown, rejected or already released.</summary>
    public async Task<bool> ReleaseAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var released = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var marked = await db.Database.ExecuteSqlAsync(
                $"UPDATE reservations SET status = {nameof(ReservationStatus.Released)}, released_at = now() WHERE order_id = {orderId} AND status = {nameof(ReservationStatus.Reserved)}", token);
            if (marked == 0)
            {
                await transaction.RollbackAsync(token);
                return Array.Empty<Guid>();
            }

            var lines = await db.Reservations.Where(r => r.OrderId == orderId).SelectMany(r => r.Lines).OrderBy(l => l.ProductId).ToListAsync(token);
            var ids = lines.Select(l => l.ProductId).ToArray();
            var amounts = lines.Select(l => l.Quantity).ToArray();
            // Same lock order as ReserveAsync; a product deleted meanwhile is simply skipped.
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM products WHERE id = ANY({ids}) ORDER BY id FOR UPDATE", token);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE products SET stock = products.stock + r.quantity, updated_at = now()
                FROM unnest({ids}, {amounts}) AS r(id, quantity) WHERE products.id = r.id
                """, token);
            await transaction.CommitAsync(token);
            return ids;
        }, cancellationToken);

        if (released.Length == 0) return false;
        logger.LogDebug("Released stock of order {OrderId}", orderId);
        await cache.InvalidateAsync(released, lists: false);
        return true;
    }

    private async Task<ReservationOutcome> ReplayAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var first = await db.Reservations.AsNoTracking().SingleAsync(r => r.OrderId == orderId, cancellationToken);
        return first.Status == ReservationStatus.Rejected
            ? new ReservationOutcome.Rejected(first.Shortages ?? [], Replayed: true)
            : new ReservationOutcome.Reserved(Replayed: true);
    }
}
