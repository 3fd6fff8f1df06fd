using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure;

public static class PlacedOrderWrites
{
    /// <summary>
    /// Stores a newly placed order, its lines and its outbox event, and completes the idempotency claim that owns the
    /// order id, as one SQL statement (one round trip, one implicit transaction). Nothing is written unless the claim
    /// (user + key) still holds <paramref name="order"/>'s id, uncompleted and not revoked: run again after it was
    /// stored, the statement stores nothing, so a caller may retry it. The order's row version and its
    /// lines' ids are not read back: nothing that answers a placement needs them.
    /// </summary>
    /// <remarks>
    /// Hand-written because this is the hottest write of the shop: EF Core's change tracking and command batching
    /// cost order-api more CPU here than the database work itself (perf, README "Measured"). The column names are
    /// the model's (<see cref="OrderConfiguration"/>); MigrationTests and every order test run through this statement.
    /// </remarks>
    /// <returns>1 when stored; 0 when the claim had lapsed and nothing was stored.</returns>
    public static Task<int> InsertPlacedOrderAsync(this OrdersDbContext db, Order order, string idempotencyKey, OutboxMessage @event,
        CancellationToken cancellationToken)
    {
        var address = order.ShippingAddress;
        var status = order.Status.ToString();
        var productIds = order.Items.Select(i => i.ProductId).ToArray();
        var skus = order.Items.Select(i => i.Sku).ToArray();
        var names = order.Items.Select(i => i.ProductName).ToArray();
        var prices = order.Items.Select(i => i.UnitPrice).ToArray();
        var quantities = order.Items.Select(i => i.Quantity).ToArray();
        return db.Database.ExecuteStatementAsync(
            $"""
            WITH claim AS (
                UPDATE idempotency_claims SET "CompletedAt" = {order.CreatedAt}
                WHERE "UserId" = {order.UserId} AND "Key" = {idempotencyKey} AND "OrderId" = {order.Id}
                    AND "CompletedAt" IS NULL AND "RevokedAt" IS NULL
                RETURNING 1),
            placed AS (
                INSERT INTO orders ("Id", "UserId", "CustomerEmail", "Status", "Currency", "Total",
                    "ShippingAddress_Name", "ShippingAddress_Line1", "ShippingAddress_Line2", "ShippingAddress_City",
                    "ShippingAddress_PostalCode", "ShippingAddress_Country", "CreatedAt", "UpdatedAt")
                SELECT {order.Id}, {order.UserId}, {order.CustomerEmail}, {status}, {order.Currency}, {order.Total},
                    {address.Name}, {address.Line1}, {address.Line2}, {address.City},
                    {address.PostalCode}, {address.Country}, {order.CreatedAt}, {order.UpdatedAt}
                FROM claim),
            lines AS (
                INSERT INTO order_items ("OrderId", "ProductId", "Sku", "ProductName", "UnitPrice", "Quantity")
                SELECT {order.Id}, l.product_id, l.sku, l.name, l.unit_price, l.quantity
                FROM unnest({productIds}, {skus}, {names}, {prices}, {quantities}) WITH ORDINALITY
                    AS l(product_id, sku, name, unit_price, quantity, n)
                WHERE EXISTS (SELECT 1 FROM claim)
                ORDER BY l.n)
            INSERT INTO outbox_messages ("EventId", "EventType", "OrderId", "Payload", "TraceParent", "OccurredAt", "Attempts")
            SELECT {@event.EventId}, {@event.EventType}, {@event.OrderId}, {@event.Payload}, {@event.TraceParent}, {@event.OccurredAt}, 0
            FROM claim
            """, cancellationToken);
    }
}
