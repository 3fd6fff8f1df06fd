using Microsoft.EntityFrameworkCore;

namespace Shop.OrderApi.Infrastructure;

/// <summary>
/// Removes outbox rows the relay published long ago. The outbox is a queue, not a history: the events live on in
/// Kafka and the orders in their own table, and without a purge every order left its events behind for good.
/// </summary>
public static class OutboxPurge
{
    /// <summary>
    /// Deletes, among the outbox's <paramref name="window"/> oldest rows (by id, that is by insertion), those published
    /// before <paramref name="sentBefore"/>; unpublished rows stay whatever their age. Returns the number deleted: 0 once
    /// the oldest rows are all recent or unpublished. Reading the head of the primary key keeps each call to
    /// <paramref name="window"/> live index entries (and the dead ones vacuum has not removed yet), with no index on
    /// <c>SentAt</c> for the relay's writes to maintain.
    /// One statement; safe to run on both replicas at once (a row is deleted once).
    /// </summary>
    public static Task<int> DeleteSentBeforeAsync(this OrdersDbContext db, DateTimeOffset sentBefore, int window,
        CancellationToken cancellationToken) =>
        db.OutboxMessages
            .Where(m => db.OutboxMessages.OrderBy(o => o.Id).Take(window).Select(o => o.Id).Contains(m.Id) && m.SentAt < sentBefore)
            .ExecuteDeleteAsync(cancellationToken);
}
