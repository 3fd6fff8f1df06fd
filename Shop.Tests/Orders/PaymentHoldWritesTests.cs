using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Apis;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>
/// The statement that holds an order for a new payment attempt and reads the order back (a payment's first round trip),
/// on the real ordersdb: it holds only its owner's pending, unheld order, reads back exactly what EF Core reads, and
/// leaves both rows tracked at their stored versions, so the settlement's optimistic check passes.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class PaymentHoldWritesTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task A_hold_reads_the_order_back_as_stored_and_holds_only_its_owners_pending_unheld_order()
    {
        await using var db = await fixture.OrdersDbContextAsync();
        var order = await PlacedOrderAsync(db);
        var now = DateTimeOffset.UtcNow;

        Assert.Null(await db.TryHoldForNewAttemptAsync(order.Id, Guid.NewGuid(), Guid.CreateVersion7(), now, CancellationToken.None));
        Assert.Null(await db.TryHoldForNewAttemptAsync(Guid.CreateVersion7(), order.UserId, Guid.CreateVersion7(), now, CancellationToken.None));
        Assert.False(await db.Payments.AnyAsync(p => p.OrderId == order.Id));

        var paymentId = Guid.CreateVersion7();
        var (held, payment) = await db.TryHoldForNewAttemptAsync(order.Id, order.UserId, paymentId, now, CancellationToken.None)
            ?? throw new Xunit.Sdk.XunitException("The owner's pending order was not held.");

        var stored = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        Assert.Equal(JsonSerializer.Serialize(OrderResponse.From(stored)), JsonSerializer.Serialize(OrderResponse.From(held)));
        Assert.Equal((stored.Version, stored.StockReleasedAt, stored.CustomerEmail, paymentId),
            (held.Version, held.StockReleasedAt, held.CustomerEmail, held.PaymentInProgressId));
        Assert.Equal(stored.Items.Select(i => (i.Id, i.OrderId)), held.Items.Select(i => (i.Id, i.OrderId)));
        var attempt = await db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == order.Id);
        Assert.Equal((paymentId, PaymentStatus.Pending, order.Total, order.Currency, attempt.Version),
            (payment.Id, attempt.Status, attempt.Amount, attempt.Currency, payment.Version));
        Assert.False(db.ChangeTracker.HasChanges());

        Assert.Null(await db.TryHoldForNewAttemptAsync(order.Id, order.UserId, Guid.CreateVersion7(), now, CancellationToken.None));

        // The tracked versions are the stored ones: the settlement's check on both rows passes.
        held.CompletePayment(payment.Id, "pay_test", now);
        payment.Capture("pay_test", now);
        await db.UpdateSettledAttemptAsync(held, payment, null, CancellationToken.None);
        Assert.Equal(OrderStatus.Paid, (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id)).Status);
    }

    [Fact]
    public async Task Without_an_owner_an_admin_s_hold_takes_any_owners_order()
    {
        await using var db = await fixture.OrdersDbContextAsync();
        var order = await PlacedOrderAsync(db);

        var held = await db.TryHoldForNewAttemptAsync(order.Id, null, Guid.CreateVersion7(), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(order.Id, held?.Order.Id);
    }

    private static async Task<Order> PlacedOrderAsync(OrdersDbContext db)
    {
        var (order, key) = await PlacedOrderWritesTests.ClaimedOrderAsync(db, revoked: false);
        Assert.NotNull(await db.InsertPlacedOrderAsync(order, key, PlacedOrderWritesTests.EventOf(order), heldBy: null, CancellationToken.None));
        db.ChangeTracker.Clear();
        return order;
    }
}
