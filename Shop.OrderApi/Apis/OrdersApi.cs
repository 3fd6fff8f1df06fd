using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.OrderApi.Model;
using Shop.OrderApi.Services;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;

namespace Shop.OrderApi.Apis;

public static class OrdersApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization();

        api.MapPost("/", CreateOrderAsync).WithName("CreateOrder");
        api.MapGet("/{id:guid}", GetOrderAsync).WithName("GetOrder");
        api.MapGet("/", ListOrdersAsync).WithName("ListOrders");
        api.MapPost("/{id:guid}/pay", PayOrderAsync).WithName("PayOrder")
            .WithDescription($"Pays a pending order by card (simulated provider). The test card {PaymentOptions.DecliningTestCard} is always declined (402).");
        api.MapPost("/{id:guid}/cancel", CancelOrderAsync).WithName("CancelOrder");
        api.MapPut("/{id:guid}/status", ChangeStatusAsync).WithName("ChangeOrderStatus").RequireAuthorization(ShopClaims.AdminPolicy);
        return app;
    }

    public static async Task<Results<Created<OrderResponse>, ValidationProblem>> CreateOrderAsync(
        CreateOrderRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        HttpContext http,
        OrderCreator creator,
        CancellationToken cancellationToken)
    {
        var errors = CreateOrderValidator.Validate(request, idempotencyKey, out var lines);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var userId = http.User.GetUserId() ?? throw new NotAuthenticatedRefusal("The token has no user id.");
        var email = http.User.FindFirstValue(ShopClaims.Email) ?? throw new NotAuthenticatedRefusal("The token has no email.");
        var address = request.ShippingAddress!;
        var created = await creator.CreateAsync(new NewOrder(userId, email, idempotencyKey!, RequestHash.Compute(request), lines,
            new ShippingAddress(address.Name!.Trim(), address.Line1!.Trim(), address.Line2?.Trim(), address.City!.Trim(),
                address.PostalCode!.Trim(), address.Country!.ToUpperInvariant())), cancellationToken);
        if (created.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return TypedResults.Created($"/api/orders/{created.Order.Id}", OrderResponse.From(created.Order));
    }

    public static async Task<Ok<OrderResponse>> GetOrderAsync(Guid id, HttpContext http, OrderService orders, CancellationToken cancellationToken) =>
        TypedResults.Ok(OrderResponse.From(await orders.GetAsync(http.User, id, cancellationToken)));

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListOrdersAsync(
        HttpContext http, OrderService orders, CancellationToken cancellationToken,
        string? status = null, int page = 1, int pageSize = 20)
    {
        var errors = new FieldErrors();
        OrderStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (OrderStatusNames.TryParse(status, out var parsed)) filter = parsed;
            else errors.Add("status", "Unknown status; use pending, paid, shipped, delivered or cancelled.");
        }
        var request = PageRequest.Create(page, pageSize, errors, maxPageSize: OrderService.MaxPageSize);
        if (request is null || errors.HasErrors) return TypedResults.ValidationProblem(errors);
        var list = await orders.ListAsync(http.User, filter, request.Page, request.PageSize, cancellationToken);
        return TypedResults.Ok(new OrderPage([.. list.Orders.Select(OrderResponse.From)], request.Page, request.PageSize, list.Total));
    }

    public static async Task<Results<Ok<OrderResponse>, ValidationProblem>> PayOrderAsync(
        Guid id, PayOrderRequest request, HttpContext http, OrderService orders, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!string.Equals(request.Method, "card", StringComparison.OrdinalIgnoreCase))
            errors["method"] = ["The only payment method is 'card'."];
        if (request.CardNumber is not { Length: >= 12 and <= 19 } card || !card.All(char.IsAsciiDigit))
            errors["cardNumber"] = ["The card number must be 12 to 19 digits."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(OrderResponse.From(await orders.PayAsync(http.User, id, request.CardNumber!, cancellationToken)));
    }

    public static async Task<Ok<OrderResponse>> CancelOrderAsync(Guid id, HttpContext http, OrderService orders, CancellationToken cancellationToken) =>
        TypedResults.Ok(OrderResponse.From(await orders.CancelAsync(http.User, id, "Cancelled by the customer.", cancellationToken)));

    public static async Task<Results<Ok<OrderResponse>, ValidationProblem>> ChangeStatusAsync(
        Guid id, ChangeOrderStatusRequest request, OrderService orders, CancellationToken cancellationToken)
    {
        if (!OrderStatusNames.TryParse(request.Status, out var target) || target is not (OrderStatus.Shipped or OrderStatus.Delivered))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Use 'shipped' or 'delivered'."] });
        }
        return TypedResults.Ok(OrderResponse.From(await orders.ChangeStatusAsync(id, target, cancellationToken)));
    }
}
