using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.OrderApi.Model;
using Shop.OrderApi.Services;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.OpenApi;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;

namespace Shop.OrderApi.Apis;

public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization();

        api.MapPost("/", CreateOrderAsync).WithName("CreateOrder")
            .WithSummary("Place an order, priced from the catalog; the Idempotency-Key makes a retry return the same order")
            .WithDescription("With `payment`, the new order is paid in the same request: 201 with the paid order, or 402 when the card " +
                $"is declined (the order is stored and stays pending: the problem's `orderId` can be paid with `POST /api/orders/{{id}}/pay`; " +
                $"the test card {PaymentOptions.DecliningTestCard} is always declined). A replay never charges again: it answers where the " +
                "checkout stands (402 while pending after a declined attempt, 409 with Retry-After while the charge is in progress, " +
                "else 201 with the order). With `expectedTotal` and `expectedCurrency`, an order whose total at the reservation's prices is " +
                "another amount or in another currency is refused with 409 \"Prices Changed\" (naming `total` and `currency`) before " +
                "anything is stored or charged.")
            .ProducesPaymentDeclined()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/{id:guid}", GetOrderAsync).WithName("GetOrder")
            .WithSummary("One of the caller's orders (any order for an admin)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/", ListOrdersAsync).WithName("ListOrders")
            .WithSummary("The caller's orders, newest first (every order for an admin)");
        api.MapPost("/{id:guid}/pay", PayOrderAsync).WithName("PayOrder")
            .WithSummary("Pay a pending order by card")
            .WithDescription($"Pays a pending order by card (simulated provider). The test card {PaymentOptions.DecliningTestCard} is always declined (402).")
            .ProducesPaymentDeclined()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/cancel", CancelOrderAsync).WithName("CancelOrder")
            .WithSummary("Cancel an order that is not yet shipped; a paid one is refunded")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/{id:guid}/status", ChangeStatusAsync).WithName("ChangeOrderStatus").RequireAuthorization(ShopClaims.AdminPolicy)
            .WithSummary("Mark an order shipped or delivered (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<OrderResponse>, ValidationProblem>> CreateOrderAsync(
        CreateOrderRequest request,
        [FromHeader(Name = ShopHeaders.IdempotencyKey)] string? idempotencyKey,
        HttpContext http,
        OrderCreator creator,
        OrderService orders,
        CancellationToken cancellationToken)
    {
        var errors = OrderValidation.ValidateCreate(request, idempotencyKey, out var lines);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        var userId = http.User.GetUserId() ?? throw new NotAuthenticatedRefusal("The token has no user id.");
        var email = http.User.FindFirstValue(ShopClaims.Email) ?? throw new NotAuthenticatedRefusal("The token has no email.");
        var address = request.ShippingAddress!;
        var created = await creator.CreateAsync(new NewOrder(userId, email, idempotencyKey!, request.Fingerprint(), lines,
            new ShippingAddress(address.Name!.Trim(), address.Line1!.Trim(), address.Line2?.Trim(), address.City!.Trim(),
                address.PostalCode!.Trim(), address.Country!.ToUpperInvariant()), PayAtPlacement: request.Payment is not null,
            request.ExpectedTotal, request.ExpectedCurrency), cancellationToken);
        if (created.Replayed)
        {
            http.Response.Headers[ShopHeaders.IdempotentReplayed] = "true";
        }
        var order = created switch
        {
            // Stored already held for this attempt: one request, one gateway hop and one write fewer than placing, then paying.
            { HeldBy: { } attempt } => await orders.ChargeHeldAsync(created.Order, attempt, request.Payment!.CardNumber!),
            { Replayed: true } when request.Payment is not null => await orders.ReplayCheckoutAsync(created.Order, cancellationToken),
            _ => created.Order,
        };
        return TypedResults.Created($"/api/orders/{order.Id}", OrderResponse.From(order));
    }

    public static async Task<Ok<OrderResponse>> GetOrderAsync(Guid id, HttpContext http, OrderService orders, CancellationToken cancellationToken) =>
        TypedResults.Ok(OrderResponse.From(await orders.GetAsync(http.User, id, cancellationToken)));

    public static async Task<Results<Ok<Page<OrderResponse>>, ValidationProblem>> ListOrdersAsync(
        HttpContext http, OrderService orders, CancellationToken cancellationToken,
        string? status = null, int page = 1, int pageSize = PageRequest.DefaultPageSize)
    {
        var errors = OrderValidation.ValidateList(status, page, pageSize, out var filter, out var paging);
        if (errors.HasErrors || paging is null) return TypedResults.ValidationProblem(errors);
        var found = await orders.ListAsync(http.User, filter, paging, cancellationToken);
        return TypedResults.Ok(found.Select(OrderResponse.From));
    }

    public static async Task<Results<Ok<OrderResponse>, ValidationProblem>> PayOrderAsync(
        Guid id, PayOrderRequest request, HttpContext http, OrderService orders, CancellationToken cancellationToken)
    {
        var errors = OrderValidation.ValidatePayment(request.Method, request.CardNumber);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(OrderResponse.From(await orders.PayAsync(http.User, id, request.CardNumber!, cancellationToken)));
    }

    public static async Task<Ok<OrderResponse>> CancelOrderAsync(Guid id, HttpContext http, OrderService orders, CancellationToken cancellationToken) =>
        TypedResults.Ok(OrderResponse.From(await orders.CancelAsync(http.User, id, "Cancelled by the customer.", cancellationToken)));

    public static async Task<Results<Ok<OrderResponse>, ValidationProblem>> ChangeStatusAsync(
        Guid id, ChangeOrderStatusRequest request, OrderService orders, CancellationToken cancellationToken)
    {
        var errors = OrderValidation.ValidateStatusChange(request.Status, out var target);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(OrderResponse.From(await orders.ChangeStatusAsync(id, target, cancellationToken)));
    }
}
