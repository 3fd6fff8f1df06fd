using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Model;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>
/// The statement that stores a placed order (order, lines, outbox event, the claim's completion, a held attempt) on the real
/// ordersdb: it stores once under its claim, stores nothing when run again after that (what the retrying execution
/// strategy does after a lost answer), and nothing under a revoked claim.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class PlacedOrderWritesTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task A_placement_stores_once_under_its_claim_and_nothing_when_run_again_or_under_a_revoked_claim()
    {
        await using var db = await fixture.OrdersDbContextAsync();
        var (order, key) = await ClaimedOrderAsync(db, revoked: false);

        var placed = await db.InsertPlacedOrderAsync(order, key, EventOf(order), heldBy: null, CancellationToken.None);
        Assert.NotNull(placed);
        Assert.Null(placed.PaymentVersion);
        Assert.Null(await db.InsertPlacedOrderAsync(order, key, EventOf(order), heldBy: null, CancellationToken.None));
        Assert.Empty(placed.LineIds); // read back only for an order held for an attempt
        Assert.Equal(placed.OrderVersion, (await db.ReadPlacedOrderRowsAsync(order.Id, heldBy: null, CancellationToken.None))?.OrderVersion);

        var stored = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        Assert.Equal((order.UserId, order.Total, order.Currency, OrderStatus.Pending, order.ShippingAddress),
            (stored.UserId, stored.Total, stored.Currency, stored.Status, stored.ShippingAddress));
        Assert.Equal(order.Items.Select(i => (i.ProductId, i.Sku, i.ProductName, i.UnitPrice, i.Quantity)),
            stored.Items.OrderBy(i => i.Id).Select(i => (i.ProductId, i.Sku, i.ProductName, i.UnitPrice, i.Quantity)));
        var events = await db.OutboxMessages.AsNoTracking().Where(m => m.OrderId == order.Id).ToListAsync();
        Assert.Equal("order.created", Assert.Single(events).EventType);
        Assert.NotNull((await db.IdempotencyClaims.AsNoTracking().SingleAsync(c => c.UserId == order.UserId && c.Key == key)).CompletedAt);

        var (lapsed, lapsedKey) = await ClaimedOrderAsync(db, revoked: true);
        Assert.Null(await db.InsertPlacedOrderAsync(lapsed, lapsedKey, EventOf(lapsed), heldBy: null, CancellationToken.None));
        Assert.Null(await db.ReadPlacedOrderRowsAsync(lapsed.Id, heldBy: null, CancellationToken.None));
        Assert.False(await db.Orders.AnyAsync(o => o.Id == lapsed.Id));
        Assert.False(await db.OutboxMessages.AnyAsync(m => m.OrderId == lapsed.Id));
    }

    [Fact]
    public async Task An_order_placed_held_for_its_attempt_stores_both_once_and_can_be_settled_from_the_rows_it_returns()
    {
        await using var db = await fixture.OrdersDbContextAsync();
        var (order, key) = await ClaimedOrderAsync(db, revoked: false);
        var attempt = Payment.BeginFor(order, order.CreatedAt);

        var placed = await db.InsertPlacedOrderAsync(order, key, EventOf(order), attempt, CancellationToken.None);

        Assert.NotNull(placed);
        Assert.Null(await db.InsertPlacedOrderAsync(order, key, EventOf(order), attempt, CancellationToken.None));
        var again = await db.ReadPlacedOrderRowsAsync(order.Id, attempt.Id, CancellationToken.None);
        Assert.Equal((placed.OrderVersion, placed.PaymentVersion), (again?.OrderVersion, again?.PaymentVersion));
        Assert.Equal(placed.LineIds.OrderBy(l => l.Key), again!.LineIds.OrderBy(l => l.Key));
        var storedOrder = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        Assert.Equal((OrderStatus.Pending, attempt.Id), (storedOrder.Status, storedOrder.PaymentInProgressId));
        Assert.Equal(placed.LineIds.OrderBy(l => l.Key), storedOrder.Items.ToDictionary(i => i.ProductId, i => i.Id).OrderBy(l => l.Key));
        var storedAttempt = await db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == order.Id);
        Assert.Equal((attempt.Id, PaymentStatus.Pending, order.Total), (storedAttempt.Id, storedAttempt.Status, storedAttempt.Amount));

        // Settled with the versions the placement returned, as the request that placed it does next.
        var (held, heldBy) = db.TrackPlacedWithAttempt(order, attempt, placed);
        var now = DateTimeOffset.UtcNow;
        heldBy.Capture("pay_test", now);
        held.CompletePayment(heldBy.Id, "pay_test", now);
        await db.UpdateSettledAttemptAsync(held, heldBy, EventOf(held), CancellationToken.None);
        db.ChangeTracker.Clear();
        Assert.Equal(OrderStatus.Paid, (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id)).Status);
        Assert.Equal(["order.created", "order.paid"],
            await db.OutboxMessages.AsNoTracking().Where(m => m.OrderId == order.Id).OrderBy(m => m.OccurredAt).ThenBy(m => m.EventType).Select(m => m.EventType).ToListAsync());
    }

    /// <summary>An order of two lines and the claim that owns its id, as ClaimAsync leaves it (or as the sweeper does).</summary>
    internal static async Task<(Order Order, string Key)> ClaimedOrderAsync(OrdersDbContext db, bool revoked)
    {
        var (userId, key, now) = (Guid.NewGuid(), $"key-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        var products = new[]
        {
            new CurrentProduct(Guid.NewGuid(), "SKU-A", "A lamp", "12.50", "EUR"),
            new CurrentProduct(Guid.NewGuid(), "SKU-B", "A chair", "40.00", "EUR"),
        };
        var priced = OrderPricing.Price([new RequestedLine(products[0].Id, 2), new RequestedLine(products[1].Id, 1)], products.ToDictionary(p => p.Id));
        var order = Order.Create(Guid.CreateVersion7(), userId, "buyer@example.com",
            new ShippingAddress("Ann", "1 Main St", null, "Springfield", "12345", "US"), priced, now);
        db.IdempotencyClaims.Add(new IdempotencyClaim
        {
            UserId = userId, Key = key, RequestHash = "hash", OrderId = order.Id, ClaimedAt = now,
            LeaseExpiresAt = now.AddSeconds(30), RevokedAt = revoked ? now : null,
        });
        await db.SaveChangesAsync();
        return (order, key);
    }

    internal static OutboxMessage EventOf(Order order) => OutboxExtensions.OutboxMessageFor(order, order.CreatedAt);
}
