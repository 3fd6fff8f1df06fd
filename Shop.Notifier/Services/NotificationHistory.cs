using Microsoft.EntityFrameworkCore;
using Shop.Notifier.Infrastructure;
using Shop.Notifier.Model;
using Shop.ServiceDefaults.Validation;

namespace Shop.Notifier.Services;

/// <summary>What was sent to customers, as stored by <see cref="OrderEventHandler"/>.</summary>
public sealed class NotificationHistory(NotificationsDbContext db)
{
    /// <summary>
    /// One page of a customer's notifications, newest first (ties by id), of one order when <paramref name="orderId"/>
    /// is given; another customer's are never included.
    /// </summary>
    public Task<Page<Notification>> ListAsync(Guid userId, Guid? orderId, PageRequest request, CancellationToken cancellationToken)
    {
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (orderId is { } id)
        {
            query = query.Where(n => n.OrderId == id);
        }
        return query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).ToPageAsync(request, cancellationToken);
    }
}
