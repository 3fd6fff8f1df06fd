using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.ProductApi.Caching;
using Shop.ProductApi.Infrastructure;
using Shop.ProductApi.Model;

namespace Shop.ProductApi.Inventory;

public abstract record ReservationOutcome(bool Replayed)
{
    /// <param name="Products">The reserved products as priced at the reservation (a replay: as priced now).</param>
    public sealed record Reserved(bool Replayed, IReadOnlyList<ReservedProduct> Products) : ReservationOutcome(Replayed);

    public sealed record Rejected(IReadOnlyList<StockShortage> Shortages, bool Replayed) : ReservationOutcome(Replayed);

    /// <summary>The order id's stock was already released (or released before it was ever reserved): it cannot reserve again.</summary>
    public sealed record Released() : ReservationOutcome(Replayed: true);
}

/// <summary>What an order is priced from: a reserved product's identity and price, read under the reservation's row lock.</summary>
public sealed record ReservedProduct(Guid Id, string Sku, string Name, decimal Price, string Currency);

/// <summary>
/// Reserves and releases stock for orders, always against PostgreSQL (never the cache). A reservation is one call of
/// the reserve_stock function (migrations ReserveStockFunction, ReserveStockPricesProducts, ReserveStockInlinesItsQueries): the reservation row keyed by order id is inserted
/// first, so a concurrent replay of the same order waits on that key and then reads the first call's outcome; the
/// products are locked in id order (no deadlocks between orders) and checked, then all are decremented or none.
/// The CHECK (stock >= 0) constraint backs this up.
/// </summary>
public sealed class StockReservations(ProductsDbContext db, ProductCache cache, ILogger<StockReservations> logger)
{
    private sealed record ReserveRow(string Status, string? Shortages, bool Replayed, string? Products)
    {
        public static ReserveRow Read(NpgsqlDataReader row) => new(row.GetString(0), row.IsDBNull(1) ? null : row.GetString(1),
            row.GetBoolean(2), row.IsDBNull(3) ? null : row.GetString(3));
    }

    public async Task<ReservationOutcome> ReserveAsync(Guid orderId, IReadOnlyDictionary<Guid, int> quantities, CancellationToken cancellationToken)
    {
        var ids = quantities.Keys.Order().ToArray();
        var amounts = ids.Select(id => quantities[id]).ToArray();

        // Safe to retry: a repeated call for the order id replays the first outcome.
        var row = (await db.Database.QueryStatementAsync(
            $"SELECT status, shortages::text, replayed, products::text FROM reserve_stock({orderId}, {ids}, {amounts})",
            ReserveRow.Read, cancellationToken)).Single();

        ReservationOutcome outcome = row.Status switch
        {
            nameof(ReservationStatus.Rejected) => new ReservationOutcome.Rejected(ParseShortages(row.Shortages), row.Replayed),
            nameof(ReservationStatus.Released) => new ReservationOutcome.Released(),
            _ => new ReservationOutcome.Reserved(row.Replayed, ParseProducts(row.Products)),
        };
        if (outcome is ReservationOutcome.Reserved { Replayed: false })
        {
            logger.LogDebug("Reserved stock for order {OrderId}: {ItemCount} products", orderId, ids.Length);
            cache.InvalidateStockInBackground(ids);
        }
        return outcome;
    }

    /// <summary>
    /// Puts a reserved order's quantities back; false when the order is unknown, rejected or already released. An
    /// unknown order id is recorded as released, so that a reservation still on its way for it (from a request
    /// order-api gave up on) is refused instead of holding stock that no order owns.
    /// </summary>
    public async Task<bool> ReleaseAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var released = await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var unknown = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO reservations (order_id, status, created_at, released_at) VALUES ({orderId}, {nameof(ReservationStatus.Released)}, now(), now()) ON CONFLICT (order_id) DO NOTHING", token);
            if (unknown == 1)
            {
                await transaction.CommitAsync(token);
                return Array.Empty<Guid>();
            }
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

    private static List<ReservedProduct> ParseProducts(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<ReservedProduct>>(json, JsonSerializerOptions.Web) ?? [];

    private static List<StockShortage> ParseShortages(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<StockShortage>>(json, JsonSerializerOptions.Web) ?? [];
}
