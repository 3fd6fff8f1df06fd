using Microsoft.AspNetCore.Http.HttpResults;
using Shop.BasketApi.Model;
using Shop.BasketApi.Services;
using Shop.ServiceDefaults.OpenApi;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Security;

namespace Shop.BasketApi.Apis;

public static class BasketsApi
{
    public static IEndpointRouteBuilder MapBasketsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/basket").WithTags("Basket")
            // Signed in, or anonymous without any Authorization header: a bad token is a 401, never an empty anonymous cart.
            .RequireAuthorization(ShopClaims.OptionalTokenPolicy)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/", GetBasketAsync).WithName("GetBasket")
            .WithSummary("The caller's cart, priced from the catalog now")
            .WithDescription("Signed in: the shopper's cart (by token). Anonymous: the cart the Cart-Id header names, or an empty cart without one. " +
                "A cart whose lines came to be priced in more than one currency (a product repriced, or an anonymous cart merged at sign-in) " +
                "has `subtotal` and `currency` null: an order is paid in one currency, so order-api refuses its checkout (422) until one is left.")
            .ProducesValidationProblem();
        api.MapPut("/lines/{productId}", SetLineAsync).WithName("SetBasketLine")
            .WithSummary("Set a line's quantity, adding the line if new")
            .WithDescription("Quantity 1–100; at most 50 lines. An anonymous caller without a Cart-Id gets one (Cart-Id response header and cartId). " +
                "A new line for a product priced in another currency than any of the cart's lines is refused with 409 \"Other Currency\" " +
                "(naming `productId`, its `currency` and the other one, `cartCurrency`): an order is paid in one currency. The cart is unchanged.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/lines/{productId}", RemoveLineAsync).WithName("RemoveBasketLine")
            .WithSummary("Remove a line; removing a line the cart does not have changes nothing")
            .ProducesValidationProblem();
        api.MapDelete("/", ClearAsync).WithName("ClearBasket")
            .WithSummary("Delete the caller's cart")
            .ProducesValidationProblem();
        api.MapPost("/merge", MergeAsync).WithName("MergeBasket").RequireAuthorization()
            .WithSummary("Move an anonymous cart into the signed-in shopper's")
            .WithDescription("Quantities are added and capped (100 a line, 50 lines); the anonymous cart is deleted. A cart already merged or expired changes nothing. " +
                "Lines in another currency than the shopper's are merged too; the cart then has `subtotal` and `currency` null until one currency is left.")
            .ProducesValidationProblem();
        api.MapPost("/checkout", CheckoutAsync).WithName("CheckoutBasket").RequireAuthorization()
            .WithSummary("Order the signed-in shopper's cart")
            .WithDescription("Creates the order through order-api (one order per cart version) and clears the cart once it is confirmed. With `payment` ({method: \"card\", cardNumber}), the order is paid in the same request: 201 with status \"paid\", or 402 when the card is declined; the order then exists and stays pending (the problem's `orderId`, payable with order-api's `POST /api/orders/{id}/pay`), and the cart is cleared as for any placed order; so it is on a 409 \"Payment In Progress\" naming the `orderId` (a repeated submit while the first one's charge runs). With `version`, `subtotal` and `currency` (the cart as the shopper reviewed it), a cart changed since is refused with 409 \"Cart Changed\", and a subtotal the lines no longer add up to, or in another currency, at the prices order-api reserves them at, with 409 \"Prices Changed\" (naming the new `subtotal` and `currency`); nothing is ordered or charged. A `subtotal` that is not an amount of at least 0 in cents is a 400 under `subtotal`, a `currency` that is not an ISO 4217 code a 400 under `currency`. order-api's other refusals are answered as order-api gave them (status, title, detail, facts, field errors, Retry-After): 409 out of stock naming the lines, 400/422 with field errors (`payment.cardNumber` …), 503 with Retry-After; the cart is kept. A submit that comes after the cart was checked out (within two minutes, no cart started or deleted since) answers with that order, replayed, and never charges again (402 again after a decline).")
            .Produces<CheckoutResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesPaymentDeclined()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Results<Ok<Basket>, ValidationProblem>> GetBasketAsync(HttpContext http, BasketService baskets,
        CancellationToken cancellationToken)
    {
        var errors = BasketCaller.Resolve(http, out var owner);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await baskets.GetAsync(owner, cancellationToken));
    }

    public static async Task<Results<Ok<Basket>, ValidationProblem>> SetLineAsync(string productId, SetLineRequest request, HttpContext http,
        BasketService baskets, CancellationToken cancellationToken)
    {
        var errors = BasketCaller.Resolve(http, out var owner);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        errors = BasketValidation.ValidateSetLine(productId, request.Quantity, out var id);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        var target = BasketCaller.ForWrite(owner);
        var basket = await baskets.SetLineAsync(target, id, request.Quantity!.Value, cancellationToken);
        BasketCaller.Issue(http, owner, target);
        return TypedResults.Ok(basket);
    }

    public static async Task<Results<Ok<Basket>, ValidationProblem>> RemoveLineAsync(string productId, HttpContext http, BasketService baskets,
        CancellationToken cancellationToken)
    {
        var errors = BasketCaller.Resolve(http, out var owner);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        errors = BasketValidation.ValidateProductId(productId, out var id);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await baskets.RemoveLineAsync(owner, id, cancellationToken));
    }

    public static async Task<Results<NoContent, ValidationProblem>> ClearAsync(HttpContext http, BasketService baskets)
    {
        var errors = BasketCaller.Resolve(http, out var owner);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        await baskets.ClearAsync(owner);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Basket>, ValidationProblem>> MergeAsync(MergeRequest request, HttpContext http, BasketService baskets,
        CancellationToken cancellationToken)
    {
        var errors = BasketValidation.ValidateMerge(request.CartId, out var cartId);
        if (errors.HasErrors || cartId is null) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await baskets.MergeAsync(Shopper(http), new BasketOwner.Anonymous(cartId.Value), cancellationToken));
    }

    public static async Task<Results<Created<CheckoutResponse>, ValidationProblem>> CheckoutAsync(CheckoutRequest request, HttpContext http,
        CheckoutService checkout, CancellationToken cancellationToken)
    {
        var errors = BasketValidation.ValidateCheckout(request.Subtotal, request.Currency);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        var (order, replayed) = await checkout.CheckoutAsync(Shopper(http), BasketCaller.BearerToken(http),
            new ReviewedCart(request.Version, request.Subtotal, request.Currency), request.ShippingAddress, request.Payment, cancellationToken);
        return TypedResults.Created($"/api/orders/{order.OrderId}",
            new CheckoutResponse(order.OrderId, order.Status, order.Total, order.Currency, order.Items, order.CreatedAt, replayed));
    }

    /// <exception cref="NotAuthenticatedRefusal">The token names no user.</exception>
    private static BasketOwner.Shopper Shopper(HttpContext http) =>
        new(http.User.GetUserId() ?? throw new NotAuthenticatedRefusal("The token has no user id."));
}
