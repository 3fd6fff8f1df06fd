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
