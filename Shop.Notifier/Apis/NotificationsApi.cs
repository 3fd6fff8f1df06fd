using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Notifier.Infrastructure;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;

namespace Shop.Notifier.Apis;

public sealed record NotificationResponse(long Id, string Channel, string EventType, Guid EventId, Guid OrderId, string Text,
    DateTimeOffset CreatedAt, string? TraceId);

public static class NotificationsApi
{
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization()
            .MapGet("/", ListMyNotificationsAsync).WithName("ListMyNotifications")
            .WithSummary("The caller's notifications, newest first; optionally those of one order");
        return app;
    }

    /// <summary>The caller's own notifications, newest first; optionally those of one order.</summary>
    public static async Task<Results<Ok<Page<NotificationResponse>>, ValidationProblem, UnauthorizedHttpResult>> ListMyNotificationsAsync(
        HttpContext http, NotificationsDbContext db, CancellationToken cancellationToken,
        Guid? orderId = null, int page = 1, int pageSize = 50)
    {
        if (http.User.GetUserId() is not { } userId)
        {
            return TypedResults.Unauthorized();
        }
        var errors = new FieldErrors();
        if (PageRequest.Create(page, pageSize, errors, defaultPageSize: 50, maxPageSize: MaxPageSize) is not { } request)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (orderId is { } id)
        {
            query = query.Where(n => n.OrderId == id);
        }
        var notifications = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Select(n => new NotificationResponse(n.Id, n.Channel, n.EventType, n.EventId, n.OrderId, n.Text, n.CreatedAt, n.TraceId))
            .ToPageAsync(request, cancellationToken);
        return TypedResults.Ok(notifications);
    }
}
