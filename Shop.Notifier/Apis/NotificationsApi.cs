using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Notifier.Infrastructure;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;

namespace Shop.Notifier.Apis;

public sealed record NotificationResponse(long Id, string Channel, string EventType, Guid EventId, Guid OrderId, string Text,
    DateTimeOffset CreatedAt, string? TraceId);

public sealed record NotificationPage(IReadOnlyList<NotificationResponse> Items, int Page, int PageSize, int Total);

public static class NotificationsApi
{
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization()
            .MapGet("/", ListMyNotificationsAsync).WithName("ListMyNotifications");
        return app;
    }

    /// <summary>The caller's own notifications, newest first; optionally those of one order.</summary>
    public static async Task<Results<Ok<NotificationPage>, ValidationProblem, UnauthorizedHttpResult>> ListMyNotificationsAsync(
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
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip(request.Offset).Take(request.PageSize)
            .Select(n => new NotificationResponse(n.Id, n.Channel, n.EventType, n.EventId, n.OrderId, n.Text, n.CreatedAt, n.TraceId))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new NotificationPage(items, request.Page, request.PageSize, total));
    }
}
