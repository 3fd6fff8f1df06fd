using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure;

/// <summary>What the placement statement stored.</summary>
/// <param name="OrderVersion">The order row's xmin.</param>
/// <param name="PaymentVersion">The held attempt's xmin; null when the order was placed without one.</param>
/// <param name="LineIds">Each stored line's id by its product (an order has one line per product); read back only
/// with a held attempt, whose charge goes on writing the order, else empty.</param>
public sealed record PlacedOrderRows(long OrderVersion, long? PaymentVersion, IReadOnlyDictionary<Guid, long> LineIds);

public static class PlacedOrderWrites
{
    /// <summary>One row of the placement's statements: the order's xmin, the attempt's (or null), one line's id and product (or nulls).</summary>
    private sealed record Row(long OrderVersion, long? PaymentVersion, long? LineId, Guid? ProductId)
    {
        public static Row Read(NpgsqlDataReader row) => new(row.GetInt64(0), row.IsDBNull(1) ? null : row.GetInt64(1),
            row.IsDBNull(2) ? null : row.GetInt64(2), row.IsDBNull(3) ? null : row.GetGuid(3));
    }

    /// <summary>
    /// Stores a newly placed order, its lines, its outbox event and, when it is paid at placement, the Pending attempt
    /// <paramref name="heldBy"/> holding it (<see cref="Order.BeginPayment"/> already applied), and completes the
    /// idempotency claim that owns the order id, as one SQL statement (one round trip, one implicit transaction).
    /// Nothing is written unless the claim (user + key) still holds <paramref name="order"/>'s id, uncompleted and not
    /// revoked: run again after it was stored, the statement stores nothing, so a caller may retry it and then read
    /// what the first run stored with <see cref="ReadPlacedOrderRowsAsync"/>.
    /// </summary>
    /// <remarks>
    /// Hand-written because this is the hottest write of the shop: EF Core's change tracking and command batching
    /// cost order-api more CPU here than the database work itself (perf, README "Measured"). The column names are
    /// the model's (<see cref="OrderConfiguration"/>); MigrationTests and every order test run through this statement.
    /// The attempt's parameters have the same types with or without one (an unused id, a false flag), so the
    /// statement keeps one prepared form.
    /// </remarks>
    /// <returns>The stored rows' versions (and line ids with an attempt); null when the claim had lapsed or this ran
    /// before, and nothing was stored.</returns>
    public static Task<PlacedOrderRows?> InsertPlacedOrderAsync(this OrdersDbContext db, Order order, string idempotencyKey, OutboxMessage @event,
        Payment? heldBy, CancellationToken cancellationToken)
    {
        var address = order.ShippingAddress;
        var status = order.Status.ToString();
        var productIds = order.Items.Select(i => i.ProductId).ToArray();
        var skus = order.Items.Select(i => i.Sku).ToArray();
        var names = order.Items.Select(i => i.ProductName).ToArray();
        var prices = order.Items.Select(i => i.UnitPrice).ToArray();
        var quantities = order.Items.Select(i => i.Quantity).ToArray();
        var held = heldBy is not null;
        var attemptId = heldBy?.Id ?? Guid.Empty;
        return QueryRowsAsync(db,
            $"""
            WITH claim AS (
                UPDATE idempotency_claims SET "CompletedAt" = {order.CreatedAt}
                WHERE "UserId" = {order.UserId} AND "Key" = {idempotencyKey} AND "OrderId" = {order.Id}
                    AND "CompletedAt" IS NULL AND "RevokedAt" IS NULL
                RETURNING 1),
            placed AS (
                INSERT INTO orders ("Id", "UserId", "CustomerEmail", "Status", "Currency", "Total",
                    "ShippingAddress_Name", "ShippingAddress_Line1", "ShippingAddress_Line2", "ShippingAddress_City",
                    "ShippingAddress_PostalCode", "ShippingAddress_Country", "CreatedAt", "UpdatedAt", "PaymentInProgressId")
                SELECT {order.Id}, {order.UserId}, {order.CustomerEmail}, {status}, {order.Currency}, {order.Total},
                    {address.Name}, {address.Line1}, {address.Line2}, {address.City},
                    {address.PostalCode}, {address.Country}, {order.CreatedAt}, {order.UpdatedAt}, CASE WHEN {held} THEN {attemptId} END
                FROM claim
                RETURNING "Id", "Total", "Currency", "CreatedAt", xmin::text::bigint AS version),
            lines AS (
                INSERT INTO order_items ("OrderId", "ProductId", "Sku", "ProductName", "UnitPrice", "Quantity")
                SELECT {order.Id}, l.product_id, l.sku, l.name, l.unit_price, l.quantity
                FROM unnest({productIds}, {skus}, {names}, {prices}, {quantities}) WITH ORDINALITY
                    AS l(product_id, sku, name, unit_price, quantity, n)
                WHERE EXISTS (SELECT 1 FROM claim)
                ORDER BY l.n
                RETURNING "Id", "ProductId"),
            started AS (
                INSERT INTO payments ("Id", "OrderId", "Amount", "Currency", "Status", "CreatedAt", "UpdatedAt")
                SELECT {attemptId}, "Id", "Total", "Currency", {nameof(PaymentStatus.Pending)}, "CreatedAt", "CreatedAt"
                FROM placed WHERE {held}
                RETURNING xmin::text::bigint AS version),
            published AS (
                INSERT INTO outbox_messages ("EventId", "EventType", "OrderId", "Payload", "TraceParent", "OccurredAt", "Attempts")
                SELECT {@event.EventId}, {@event.EventType}, {@event.OrderId}, {@event.Payload}, {@event.TraceParent}, {@event.OccurredAt}, 0
                FROM claim)
            SELECT p.version, s.version, l."Id", l."ProductId"
            FROM placed p LEFT JOIN started s ON true LEFT JOIN lines l ON {held}
            """, cancellationToken);
    }

    /// <summary>What an earlier run of <see cref="InsertPlacedOrderAsync"/> stored for the order; null when nothing.</summary>
    /// <param name="heldBy">The attempt it was placed with, whose version and the lines' ids are read too; null for none.</param>
    public static Task<PlacedOrderRows?> ReadPlacedOrderRowsAsync(this OrdersDbContext db, Guid orderId, Guid? heldBy,
        CancellationToken cancellationToken)
    {
        var held = heldBy is not null;
        var attemptId = heldBy ?? Guid.Empty;
        return QueryRowsAsync(db,
            $"""
            SELECT o.xmin::text::bigint, p.xmin::text::bigint, i."Id", i."ProductId"
            FROM orders o
                LEFT JOIN payments p ON p."Id" = {attemptId} AND p."OrderId" = o."Id"
                LEFT JOIN order_items i ON {held} AND i."OrderId" = o."Id"
            WHERE o."Id" = {orderId}
            """, cancellationToken);
    }

    private static async Task<PlacedOrderRows?> QueryRowsAsync(OrdersDbContext db, FormattableString sql, CancellationToken cancellationToken)
    {
        var rows = await db.Database.QueryStatementAsync(sql, Row.Read, cancellationToken);
        return rows.Count == 0 ? null : new(rows[0].OrderVersion, rows[0].PaymentVersion,
            rows.Where(r => r.LineId is not null).ToDictionary(r => r.ProductId!.Value, r => r.LineId!.Value));
    }
}
