using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Notifier.Model;
using Shop.Notifier.Services;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;

namespace Shop.Notifier.Apis;

public sealed record NotificationResponse(long Id, string Channel, string EventType, Guid EventId, Guid OrderId, string Text,
    DateTimeOffset CreatedAt, string? TraceId)
{
    public static NotificationResponse From(Notification n) =>
        new(n.Id, n.Channel, n.EventType, n.EventId, n.OrderId, n.Text, n.CreatedAt, n.TraceId);
}

public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization()
            .MapGet("/", ListMyNotificationsAsync).WithName("ListMyNotifications")
            .WithSummary("The caller's notifications, newest first; optionally those of one order");
        return app;
    }

    /// <summary>The caller's own notifications, newest first; optionally those of one order.</summary>
    /// <exception cref="NotAuthenticatedRefusal">The token names no user.</exception>
    public static async Task<Results<Ok<Page<NotificationResponse>>, ValidationProblem>> ListMyNotificationsAsync(
        HttpContext http, NotificationHistory history, CancellationToken cancellationToken,
        Guid? orderId = null, int page = 1, int pageSize = NotificationValidation.DefaultPageSize)
    {
        var userId = http.User.GetUserId() ?? throw new NotAuthenticatedRefusal("The token has no user id.");
        var errors = NotificationValidation.ValidateList(page, pageSize, out var paging);
        if (errors.HasErrors || paging is null) return TypedResults.ValidationProblem(errors);

        var notifications = await history.ListAsync(userId, orderId, paging, cancellationToken);
        return TypedResults.Ok(notifications.Select(NotificationResponse.From));
    }
}
