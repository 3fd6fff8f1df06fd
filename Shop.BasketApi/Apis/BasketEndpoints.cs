using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.BasketApi.Grpc;
using Shop.BasketApi.Model;
using Shop.BasketApi.Services;
using Shop.ServiceDefaults.Security;

namespace Shop.BasketApi.Apis;

public static class BasketEndpoints
{
    /// <summary>Signed in, or anonymous without any Authorization header: a bad or expired token is a 401, never an empty anonymous cart.</summary>
    public const string ShopperPolicy = "shopper";

    public static WebApplication MapBasketApi(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();

        var api = app.MapGroup("/api/basket").WithTags("Basket")
            .RequireAuthorization(ShopperPolicy)
            .AddEndpointFilter<BasketProblemFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/", GetBasketAsync).WithName("GetBasket")
            .WithSummary("The caller's cart (signed in: by token; anonymous: by the Cart-Id header), lines priced from the catalog now.")
            .ProducesValidationProblem();
        api.MapPut("/lines/{productId}", SetLineAsync).WithName("SetBasketLine")
            .WithSummary("Sets a line's quantity (1–100; at most 50 lines). An anonymous caller without a Cart-Id gets one (Cart-Id header and cartId).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/lines/{productId}", RemoveLineAsync).WithName("RemoveBasketLine")
            .WithSummary("Removes a line; removing a line the cart does not have changes nothing.")
            .ProducesValidationProblem();
        api.MapDelete("/", ClearAsync).WithName("ClearBasket")
            .WithSummary("Deletes the caller's cart.")
            .ProducesValidationProblem();
        api.MapPost("/merge", MergeAsync).WithName("MergeBasket").RequireAuthorization()
            .WithSummary("Signed in: moves an anonymous cart's lines into the shopper's (quantities added, capped) and deletes it; a cart already gone is a no-op.")
            .ProducesValidationProblem();
        api.MapPost("/checkout", CheckoutAsync).WithName("CheckoutBasket").RequireAuthorization()
            .WithSummary("Signed in: creates an order of the cart through order-api (one order per cart version) and clears the cart once it is confirmed.")
            .WithDescription("order-api's refusals pass through unchanged: 409 out of stock naming the lines, 400/422 with field errors, 503 with Retry-After. The cart is kept on any refusal.")
            .Produces<CheckoutResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapGrpcService<BasketGrpcService>();
        return app;
    }

    public static async Task<Results<Ok<Basket>, ValidationProblem>> GetBasketAsync(HttpContext http, BasketService baskets,
        CancellationToken cancellationToken)
    {
        if (!BasketCaller.TryResolve(http, out var owner, out var errors)) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await baskets.GetAsync(owner, cancellationToken));
    }

    public static async Task<Results<Ok<Basket>, ValidationProblem>> SetLineAsync(string productId, SetLineRequest request, HttpContext http,
        BasketService baskets, CancellationToken cancellationToken)
    {
        if (!BasketCaller.TryResolve(http, out var owner, out var errors)) return TypedResults.ValidationProblem(errors);
        if (!TryParseProductId(productId, out var id, out errors)) return TypedResults.ValidationProblem(errors);
        if (request.Quantity is not { } quantity) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = ["Required."] });
        var target = BasketCaller.ForWrite(owner);
        var basket = await baskets.SetLineAsync(target, id, quantity, cancellationToken);
        BasketCaller.Issue(http, owner, target);
        return TypedResults.Ok(basket);
    }

    public static async Task<Results<Ok<Basket>, ValidationProblem>> RemoveLineAsync(string productId, HttpContext http, BasketService baskets,
        CancellationToken cancellationToken)
    {
        if (!BasketCaller.TryResolve(http, out var owner, out var errors)) return TypedResults.ValidationProblem(errors);
        if (!TryParseProductId(productId, out var id, out errors)) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await baskets.RemoveLineAsync(owner, id, cancellationToken));
    }

    public static async Task<Results<NoContent, ValidationProblem>> ClearAsync(HttpContext http, BasketService baskets)
    {
        if (!BasketCaller.TryResolve(http, out var owner, out var errors)) return TypedResults.ValidationProblem(errors);
        await baskets.ClearAsync(owner);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Basket>, ValidationProblem, ProblemHttpResult>> MergeAsync(MergeRequest request, HttpContext http, BasketService baskets,
        CancellationToken cancellationToken)
    {
        if (!CartId.TryParse(request.CartId, out var cartId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["cartId"] = [$"The cart id must be one this API issued ({CartId.Length} base64url characters)."],
            });
        }
        if (http.User.GetUserId() is not { } userId) return NoUserId();
        return TypedResults.Ok(await baskets.MergeAsync(new BasketOwner.Shopper(userId), new BasketOwner.Anonymous(cartId.Value), cancellationToken));
    }

    public static async Task<IResult> CheckoutAsync(CheckoutRequest request, HttpContext http, CheckoutService checkout,
        CancellationToken cancellationToken)
    {
        if (http.User.GetUserId() is not { } userId) return NoUserId();
        var outcome = await checkout.CheckoutAsync(new BasketOwner.Shopper(userId), BasketCaller.BearerToken(http), request.ShippingAddress, cancellationToken);
        switch (outcome)
        {
            case CheckoutOutcome.Placed { Order: var order } placed:
                return TypedResults.Created($"/api/orders/{order.OrderId}",
                    new CheckoutResponse(order.OrderId, order.Status, order.Total, order.Currency, order.Items, order.CreatedAt, placed.Replayed));
            case CheckoutOutcome.Refused refused:
                if (refused.RetryAfter is { } retryAfter)
                {
                    http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                return refused.Problem.Length > 0
                    ? TypedResults.Text(refused.Problem, "application/problem+json", statusCode: refused.Status)
                    : TypedResults.Problem(statusCode: refused.Status, detail: "The order service refused the order.");
            default:
                throw new InvalidOperationException("Unknown checkout outcome.");
        }
    }

    private static ProblemHttpResult NoUserId() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "The token has no user id.");

    private static bool TryParseProductId(string value, out Guid productId, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Dictionary<string, string[]>? errors)
    {
        errors = null;
        if (Guid.TryParse(value, out productId) && productId != Guid.Empty) return true;
        errors = new() { ["productId"] = ["The product id must be a UUID."] };
        return false;
    }
}
