using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure;

/// <summary>
/// The two writes of every payment, each one SQL statement (one round trip, one implicit transaction) instead of
/// EF Core's SaveChanges, which cost order-api more CPU than the database work itself (perf, README "Measured").
/// Both keep the optimistic concurrency of the rows' xmin: a write whose order or payment changed since it was read
/// stores nothing and throws <see cref="DbUpdateConcurrencyException"/>, as SaveChanges would. Afterwards the tracked
/// entities carry their new row versions and count as saved, so later EF writes in the same scope stay correct.
/// </summary>
public static class PaymentWrites
{
    /// <summary>
    /// Holds order <paramref name="orderId"/> for a new Pending attempt <paramref name="paymentId"/> and records the attempt,
    /// in one statement that also reads the order back with its lines: the order's read before paying and its hold are one
    /// round trip instead of two. Only an order that can be held now is held: Pending (<see cref="OrderStateMachine"/>:
    /// only a pending order can become paid), no attempt in progress, and owned by <paramref name="ownerId"/> (null: any
    /// owner, for an admin). Returns the held order and the attempt, both tracked as stored; null when the order cannot be
    /// held now or does not exist, nothing stored: the caller reads the order to tell why.
    /// </summary>
    public static async Task<(Order Order, Payment Payment)?> TryHoldForNewAttemptAsync(this OrdersDbContext db, Guid orderId, Guid? ownerId,
        Guid paymentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await db.Database.QueryStatementAsync(
            $"""
            WITH held AS (
                UPDATE orders SET "PaymentInProgressId" = {paymentId}, "UpdatedAt" = {now}
                WHERE "Id" = {orderId} AND "Status" = {nameof(OrderStatus.Pending)} AND "PaymentInProgressId" IS NULL
                    AND ({ownerId}::uuid IS NULL OR "UserId" = {ownerId})
                RETURNING *, xmin::text::bigint AS "Version"),
            started AS (
                INSERT INTO payments ("Id", "OrderId", "Amount", "Currency", "Status", "CreatedAt", "UpdatedAt")
                SELECT {paymentId}, "Id", "Total", "Currency", {nameof(PaymentStatus.Pending)}, {now}, {now} FROM held
                RETURNING xmin::text::bigint AS "Version")
            SELECT h."Id", h."UserId", h."CustomerEmail", h."Status", h."Currency", h."Total",
                h."ShippingAddress_Name", h."ShippingAddress_Line1", h."ShippingAddress_Line2", h."ShippingAddress_City",
                h."ShippingAddress_PostalCode", h."ShippingAddress_Country", h."CreatedAt", h."UpdatedAt",
                h."PaymentReference", h."RefundReference", h."CancellationReason", h."PaymentInProgressId", h."StockReleasedAt",
                h."Version", s."Version", i."Id", i."ProductId", i."Sku", i."ProductName", i."UnitPrice", i."Quantity"
            FROM held h CROSS JOIN started s LEFT JOIN order_items i ON i."OrderId" = h."Id"
            ORDER BY i."Id"
            """, HeldRow.Read, cancellationToken);
        if (rows.Count == 0)
        {
            // The execution strategy runs the statement again after a lost answer: the first run may have held the order.
            if (!await db.Payments.AnyAsync(p => p.Id == paymentId, cancellationToken)) return null;
            var heldOrder = await db.Orders.SingleAsync(o => o.Id == orderId, cancellationToken);
            return (heldOrder, await db.Payments.SingleAsync(p => p.Id == paymentId, cancellationToken));
        }

        var first = rows[0];
        var order = Order.Restore(first.Id, first.UserId, first.CustomerEmail, Enum.Parse<OrderStatus>(first.Status), first.Currency,
            first.Total, first.ShippingAddress, first.CreatedAt, first.UpdatedAt, first.PaymentReference, first.RefundReference,
            first.CancellationReason, first.PaymentInProgressId, first.StockReleasedAt, (uint)first.OrderVersion,
            rows.Where(r => r.Item is not null).Select(r => r.Item!));
        var payment = Payment.Start(paymentId, order, now);
        db.Orders.Attach(order);
        db.Payments.Attach(payment);
        AcceptStored(EntryOf(db, payment), first.PaymentVersion);
        return (order, payment);
    }

    /// <summary>
    /// Tracks an order placed together with its held attempt (<see cref="PlacedOrderWrites.InsertPlacedOrderAsync"/>) as
    /// stored, with the row versions and line ids the placement returned, as <see cref="TryHoldForNewAttemptAsync"/>
    /// leaves a held order: ready for <see cref="UpdateSettledAttemptAsync"/>.
    /// </summary>
    public static (Order Order, Payment Payment) TrackPlacedWithAttempt(this OrdersDbContext db, Order placed, Payment payment, PlacedOrderRows stored)
    {
        var order = Order.Restore(placed.Id, placed.UserId, placed.CustomerEmail, placed.Status, placed.Currency, placed.Total,
            placed.ShippingAddress, placed.CreatedAt, placed.UpdatedAt, placed.PaymentReference, placed.RefundReference,
            placed.CancellationReason, placed.PaymentInProgressId, placed.StockReleasedAt, (uint)stored.OrderVersion,
            placed.Items.Select(i => OrderItem.Restore(stored.LineIds[i.ProductId], placed.Id, i.ProductId, i.Sku, i.ProductName, i.UnitPrice, i.Quantity)));
        db.Orders.Attach(order);
        db.Payments.Attach(payment);
        AcceptStored(EntryOf(db, payment), stored.PaymentVersion ?? throw new InvalidOperationException($"Order {placed.Id} was stored without its attempt {payment.Id}."));
        return (order, payment);
    }

    /// <summary>One row of <see cref="TryHoldForNewAttemptAsync"/>: the held order, both rows' new xmin, one of its lines.</summary>
    private sealed record HeldRow(Guid Id, Guid UserId, string CustomerEmail, string Status, string Currency, decimal Total,
        ShippingAddress ShippingAddress, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? PaymentReference,
        string? RefundReference, string? CancellationReason, Guid? PaymentInProgressId, DateTimeOffset? StockReleasedAt,
        long OrderVersion, long PaymentVersion, OrderItem? Item)
    {
        public static HeldRow Read(NpgsqlDataReader row)
        {
            var orderId = row.GetGuid(0);
            return new(orderId, row.GetGuid(1), row.GetString(2), row.GetString(3), row.GetString(4), row.GetDecimal(5),
                new ShippingAddress(row.GetString(6), row.GetString(7), NullableString(row, 8), row.GetString(9), row.GetString(10),
                    row.GetString(11)),
                row.GetFieldValue<DateTimeOffset>(12), row.GetFieldValue<DateTimeOffset>(13), NullableString(row, 14),
                NullableString(row, 15), NullableString(row, 16), row.IsDBNull(17) ? null : row.GetGuid(17),
                row.IsDBNull(18) ? null : row.GetFieldValue<DateTimeOffset>(18), row.GetInt64(19), row.GetInt64(20),
                row.IsDBNull(21) ? null
                    : OrderItem.Restore(row.GetInt64(21), orderId, row.GetGuid(22), row.GetString(23), row.GetString(24), row.GetDecimal(25),
                        row.GetInt32(26)));
        }

        private static string? NullableString(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }

    /// <summary>
    /// Inserts the Pending attempt <paramref name="payment"/> and stores <paramref name="order"/>'s hold for it
    /// (<see cref="Order.BeginPayment"/> already applied), on condition that the order is unchanged since it was read.
    /// </summary>
    public static async Task InsertAttemptHoldingOrderAsync(this OrdersDbContext db, Order order, Payment payment, CancellationToken cancellationToken)
    {
        var versions = await db.Database.QueryStatementAsync(
            $"""
            WITH held AS (
                UPDATE orders SET "PaymentInProgressId" = {order.PaymentInProgressId}, "UpdatedAt" = {order.UpdatedAt}
                WHERE "Id" = {order.Id} AND xmin::text = {ReadVersion(EntryOf(db, order))}
                RETURNING xmin),
            started AS (
                INSERT INTO payments ("Id", "OrderId", "Amount", "Currency", "Status", "CreatedAt", "UpdatedAt")
                SELECT {payment.Id}, {payment.OrderId}, {payment.Amount}, {payment.Currency}, {payment.Status.ToString()},
                    {payment.CreatedAt}, {payment.UpdatedAt}
                FROM held
                RETURNING xmin)
            SELECT held.xmin::text::bigint AS "Order", started.xmin::text::bigint AS "Payment" FROM held CROSS JOIN started
            """, RowVersions.Read, cancellationToken);
        if (versions.Count == 0)
        {
            // The execution strategy runs the query again after a lost answer: the first run may have stored it.
            versions = await db.Database.QueryStatementAsync(
                $"""
                SELECT o.xmin::text::bigint AS "Order", p.xmin::text::bigint AS "Payment"
                FROM payments p JOIN orders o ON o."Id" = p."OrderId"
                WHERE p."Id" = {payment.Id} AND o."PaymentInProgressId" = {payment.Id}
                """, RowVersions.Read, cancellationToken);
        }
        var stored = versions.Count == 1 ? versions[0] : throw Conflict(order);
        db.Payments.Attach(payment);
        AcceptStored(EntryOf(db, order), stored.Order);
        AcceptStored(EntryOf(db, payment), stored.Payment);
    }

    /// <summary>
    /// Stores a settled attempt (<paramref name="payment"/> and <paramref name="order"/> with their outcome applied)
    /// and, when there is one, the order's event, on condition that neither row changed since it was read. The order
    /// row is locked first, so the two updates succeed or fail together.
    /// </summary>
    public static async Task UpdateSettledAttemptAsync(this OrdersDbContext db, Order order, Payment payment, OutboxMessage? @event,
        CancellationToken cancellationToken)
    {
        var versions = await db.Database.QueryStatementAsync(
            $"""
            WITH locked AS (
                SELECT 1 FROM orders WHERE "Id" = {order.Id} AND xmin::text = {ReadVersion(EntryOf(db, order))}
                FOR UPDATE),
            settled AS (
                UPDATE payments SET "Status" = {payment.Status.ToString()}, "ProviderReference" = {payment.ProviderReference},
                    "DeclineReason" = {payment.DeclineReason}, "UpdatedAt" = {payment.UpdatedAt}
                WHERE "Id" = {payment.Id} AND xmin::text = {ReadVersion(EntryOf(db, payment))}
                    AND EXISTS (SELECT 1 FROM locked)
                RETURNING xmin),
            moved AS (
                UPDATE orders SET "Status" = {order.Status.ToString()}, "PaymentReference" = {order.PaymentReference},
                    "PaymentInProgressId" = {order.PaymentInProgressId}, "UpdatedAt" = {order.UpdatedAt}
                WHERE "Id" = {order.Id} AND EXISTS (SELECT 1 FROM settled)
                RETURNING xmin),
            published AS (
                INSERT INTO outbox_messages ("EventId", "EventType", "OrderId", "Payload", "TraceParent", "OccurredAt", "Attempts")
                SELECT {@event?.EventId}, {@event?.EventType}, {@event?.OrderId}, {@event?.Payload}, {@event?.TraceParent}, {@event?.OccurredAt}, 0
                FROM moved WHERE {@event is not null})
            SELECT moved.xmin::text::bigint AS "Order", settled.xmin::text::bigint AS "Payment" FROM moved CROSS JOIN settled
            """, RowVersions.Read, cancellationToken);
        var stored = versions.Count == 1 ? versions[0] : throw Conflict(order);
        AcceptStored(EntryOf(db, order), stored.Order);
        AcceptStored(EntryOf(db, payment), stored.Payment);
    }

    private const string VersionProperty = nameof(Order.Version);

    /// <summary>The new xmin of the two rows a payment write changed (xid, read as bigint).</summary>
    public sealed record RowVersions(long Order, long Payment)
    {
        public static RowVersions Read(NpgsqlDataReader row) => new(row.GetInt64(0), row.GetInt64(1));
    }

    /// <summary>The row version the entity was read with (or last stored with), as xmin's text for the comparison.</summary>
    private static string ReadVersion<TEntity>(EntityEntry<TEntity> entry) where TEntity : class =>
        entry.Property<uint>(VersionProperty).OriginalValue.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The entity's entry without <see cref="DbContext.Entry{TEntity}"/>'s scan for changes (the order with its lines,
    /// on each call): these writes store the changed values themselves and then mark the entries unchanged, so the
    /// scan's findings would be overwritten unread. It was 6 % of order-api's CPU samples under the order benchmark.
    /// </summary>
    private static EntityEntry<TEntity> EntryOf<TEntity>(OrdersDbContext db, TEntity entity) where TEntity : class
    {
        var tracker = db.ChangeTracker;
        var detectChanges = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.Entry(entity);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detectChanges;
        }
    }

    private static DbUpdateConcurrencyException Conflict(Order order) =>
        new($"Order {order.Id} or its payment changed since it was read; nothing was stored.");

    private static void AcceptStored<TEntity>(EntityEntry<TEntity> entry, long version) where TEntity : class
    {
        var rowVersion = entry.Property<uint>(VersionProperty);
        rowVersion.CurrentValue = (uint)version;
        entry.OriginalValues.SetValues(entry.CurrentValues);
        entry.State = EntityState.Unchanged;
    }
}
