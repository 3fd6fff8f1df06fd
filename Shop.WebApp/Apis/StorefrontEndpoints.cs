using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Shop.WebApp.Clients;
using Shop.WebApp.Clients.Basket;
using Shop.WebApp.Services;

namespace Shop.WebApp.Apis;

/// <summary>
/// Form posts that change state and answer with a redirect (post/redirect/get): cart changes, which may issue the
/// anonymous cart's cookie, and sign-out. Antiforgery-checked like every form.
/// </summary>
public static class StorefrontEndpoints
{
    public static IEndpointRouteBuilder MapStorefrontEndpoints(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/cart");
        cart.MapPost("/add", AddToCartAsync);
        cart.MapPost("/update", UpdateLineAsync);
        cart.MapPost("/remove", RemoveLineAsync);
        app.MapPost("/account/logout", async (ShopperSignIn signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()); // no form fields, so not implied
        app.MapGet("/images/products/{id}.svg", ProductImage.Draw);
        return app;
    }

    private static async Task<IResult> AddToCartAsync(HttpContext context, BasketClient basket,
        [FromForm] Guid productId, [FromForm] int? quantity, [FromForm] string? returnUrl)
    {
        try
        {
            var current = await basket.GetBasketAsync();
            var existing = current.Lines?.FirstOrDefault(l => l.ProductId == productId)?.Quantity ?? 0;
            var updated = await basket.SetBasketLineAsync(productId.ToString(), new SetLineRequest { Quantity = Math.Min(100, existing + (quantity ?? 1)) });
            Remember(context, updated);
            return TypedResults.LocalRedirect(Local(returnUrl, "/cart") + Separator(returnUrl) + "added=" + productId);
        }
        catch (ApiException e)
        {
            return Refused(e, Local(returnUrl, "/cart"));
        }
    }

    private static async Task<IResult> UpdateLineAsync(HttpContext context, BasketClient basket, [FromForm] Guid productId, [FromForm] int quantity)
    {
        try
        {
            var updated = quantity <= 0
                ? await basket.RemoveBasketLineAsync(productId.ToString())
                : await basket.SetBasketLineAsync(productId.ToString(), new SetLineRequest { Quantity = quantity });
            Remember(context, updated);
            return TypedResults.LocalRedirect("/cart");
        }
        catch (ApiException e)
        {
            return Refused(e, "/cart");
        }
    }

    private static async Task<IResult> RemoveLineAsync(HttpContext context, BasketClient basket, [FromForm] Guid productId)
    {
        try
        {
            Remember(context, await basket.RemoveBasketLineAsync(productId.ToString()));
            return TypedResults.LocalRedirect("/cart");
        }
        catch (ApiException e)
        {
            return Refused(e, "/cart");
        }
    }

    private static void Remember(HttpContext context, Basket basket)
    {
        if (context.User.Identity?.IsAuthenticated != true && basket.CartId is { Length: > 0 } cartId && cartId != CartCookie.Read(context))
        {
            CartCookie.Write(context, cartId);
        }
    }

    private static IResult Refused(ApiException e, string returnUrl)
    {
        var problem = ApiProblem.From(e);
        return TypedResults.LocalRedirect(returnUrl + Separator(returnUrl) + "error=" + Uri.EscapeDataString(problem.Summary));
    }

    private static string Local(string? url, string fallback) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : fallback;

    private static string Separator(string? url) => url?.Contains('?') == true ? "&" : "?";
}
