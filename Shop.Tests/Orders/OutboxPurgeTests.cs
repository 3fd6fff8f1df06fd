using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Infrastructure;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>
/// The outbox keeps a published event's row for <c>Orders:Outbox:SentRetention</c> (a day), then the order maintenance
/// deletes it; an unpublished row stays whatever its age. Rows of these tests take negative ids, which puts them at the
/// head of the outbox, where the purge reads.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class OutboxPurgeTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task The_purge_deletes_rows_published_before_the_cutoff_and_keeps_recent_and_unpublished_ones()
    {
        await using var db = await fixture.OrdersDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var head = -Random.Shared.NextInt64(1_000_000, long.MaxValue / 2);
        // In a transaction rolled back at the end: the relay never sees the unpublished row.
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.OutboxMessages.AddRange(
            Row(head, occurredAt: now.AddDays(-3), sentAt: now.AddDays(-3)),
            Row(head + 1, occurredAt: now.AddDays(-3), sentAt: null),
            Row(head + 2, occurredAt: now.AddDays(-3), sentAt: now.AddMinutes(-1)));
        await db.SaveChangesAsync();

        var deleted = await db.DeleteSentBeforeAsync(now.AddDays(-1), window: 1000, CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal([head + 1, head + 2],
            await db.OutboxMessages.Where(m => m.Id >= head && m.Id <= head + 2).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync());
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task Order_api_deletes_a_row_published_more_than_a_day_ago_and_keeps_a_recent_one()
    {
        await using var db = await fixture.OrdersDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var head = -Random.Shared.NextInt64(1_000_000, long.MaxValue / 2);
        db.OutboxMessages.AddRange(
            Row(head, occurredAt: now.AddDays(-2), sentAt: now.AddDays(-2)),
            Row(head + 1, occurredAt: now.AddMinutes(-5), sentAt: now.AddMinutes(-5)));
        await db.SaveChangesAsync();

        await Eventually.ReturnsAsync(() => db.OutboxMessages.AnyAsync(m => m.Id == head), exists => !exists,
            TimeSpan.FromSeconds(40), "the maintenance (every 10 s) deletes the row published two days ago");
        Assert.True(await db.OutboxMessages.AnyAsync(m => m.Id == head + 1), "the row published 5 minutes ago stays");
    }

    private static OutboxMessage Row(long id, DateTimeOffset occurredAt, DateTimeOffset? sentAt) => new()
    {
        Id = id,
        EventId = Guid.NewGuid(),
        EventType = "order.created",
        OrderId = Guid.NewGuid(),
        Payload = "{}",
        OccurredAt = occurredAt,
        SentAt = sentAt,
        Attempts = sentAt is null ? 0 : 1,
    };
}
