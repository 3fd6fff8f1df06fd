using Microsoft.AspNetCore.Mvc;
using Shop.WebApp.Clients.Orders;
using Shop.WebApp.Services;

namespace Shop.WebApp.Apis;

/// <summary>
/// The admin area's order actions (ship, deliver) as form posts answered with a redirect back to the list, so a reload
/// never repeats them. Admin policy and antiforgery, like every form; order-api checks the admin role again.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(AdminPolicy.Name);
        admin.MapPost("/orders/{id:guid}/status", ChangeOrderStatusAsync);
        return app;
    }

    private static async Task<IResult> ChangeOrderStatusAsync(Guid id, OrdersClient orders, [FromForm] string status, [FromForm] string? returnUrl)
    {
        var back = returnUrl is { Length: > 0 } url && url.StartsWith("/admin/orders", StringComparison.Ordinal) ? url : "/admin/orders";
        var separator = back.Contains('?') ? "&" : "?";
        try
        {
            var changed = await orders.ChangeOrderStatusAsync(id, new ChangeOrderStatusRequest { Status = status });
            return TypedResults.LocalRedirect($"{back}{separator}done={Uri.EscapeDataString(changed.Status)}&order={changed.Id}");
        }
        catch (Exception e) when (ServiceFailure.Is(e))
        {
            return TypedResults.LocalRedirect($"{back}{separator}error={Uri.EscapeDataString(ServiceFailure.Describe(e).Summary)}");
        }
    }
}
