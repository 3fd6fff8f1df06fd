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

    // The product page offers 1 to min(100, stock); basket-api keeps a line at 100 at most.
    private const int MaxLineQuantity = 100;
    private const string QuantityRule = "The quantity must be a whole number from 1 to 100.";
    private const string UnknownProduct = "This product does not exist.";

    // The fields are read as text: a value the form could not have sent (a hand-made post, a stale page) is said on
    // the page it came from, like any refusal, instead of the APIs' JSON problem that a failed binding would give.
    private static async Task<IResult> AddToCartAsync(HttpContext context, BasketClient basket,
        [FromForm] string? productId, [FromForm] string? quantity, [FromForm] string? returnUrl)
    {
        var back = Local(returnUrl, "/cart");
        if (!Guid.TryParse(productId, out var id)) return Said(back, UnknownProduct);
        var added = 1;
        if (!string.IsNullOrEmpty(quantity) && (!TryReadQuantity(quantity, out added) || added == 0)) return Said(back, QuantityRule);
        try
        {
            var current = await basket.GetBasketAsync();
            var existing = current.Lines?.FirstOrDefault(l => l.ProductId == id)?.Quantity ?? 0;
            var updated = await basket.SetBasketLineAsync(id.ToString(), new SetLineRequest { Quantity = Math.Min(MaxLineQuantity, existing + added) });
            Remember(context, updated);
            return TypedResults.LocalRedirect(back + Separator(back) + "added=" + id);
        }
        catch (ApiException e)
        {
            return Refused(e, back);
        }
    }

    /// <summary>Sets a line's quantity; 0 removes the line.</summary>
    private static async Task<IResult> UpdateLineAsync(HttpContext context, BasketClient basket, [FromForm] string? productId, [FromForm] string? quantity)
    {
        if (!Guid.TryParse(productId, out var id)) return Said("/cart", UnknownProduct);
        if (!TryReadQuantity(quantity, out var count)) return Said("/cart", QuantityRule);
        try
        {
            var updated = count == 0
                ? await basket.RemoveBasketLineAsync(id.ToString())
                : await basket.SetBasketLineAsync(id.ToString(), new SetLineRequest { Quantity = count });
            Remember(context, updated);
            return TypedResults.LocalRedirect("/cart");
        }
        catch (ApiException e)
        {
            return Refused(e, "/cart");
        }
    }

    private static async Task<IResult> RemoveLineAsync(HttpContext context, BasketClient basket, [FromForm] string? productId)
    {
        if (!Guid.TryParse(productId, out var id)) return Said("/cart", UnknownProduct);
        try
        {
            Remember(context, await basket.RemoveBasketLineAsync(id.ToString()));
            return TypedResults.LocalRedirect("/cart");
        }
        catch (ApiException e)
        {
            return Refused(e, "/cart");
        }
    }

    /// <summary>Digits only (no sign, no fraction), 0 to <see cref="MaxLineQuantity"/>.</summary>
    private static bool TryReadQuantity(string? text, out int quantity) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out quantity)
        && quantity <= MaxLineQuantity;

    private static void Remember(HttpContext context, Basket basket)
    {
        if (context.User.Identity?.IsAuthenticated != true && basket.CartId is { Length: > 0 } cartId && cartId != CartCookie.Read(context))
        {
            CartCookie.Write(context, cartId);
        }
    }

    private static IResult Refused(ApiException e, string returnUrl) => Said(returnUrl, ApiProblem.From(e).Summary);

    /// <summary>Back to <paramref name="returnUrl"/>, which shows <paramref name="message"/> (its <c>error</c> query).</summary>
    private static IResult Said(string returnUrl, string message) =>
        TypedResults.LocalRedirect(returnUrl + Separator(returnUrl) + "error=" + Uri.EscapeDataString(message));

    private static string Local(string? url, string fallback) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : fallback;

    private static string Separator(string? url) => url?.Contains('?') == true ? "&" : "?";
}
