namespace Shop.WebApp.Services;

/// <summary>
/// An anonymous shopper's cart id (basket-api's opaque 22-character id), kept in an HttpOnly cookie for 7 days (the
/// anonymous cart's idle expiry) and sent to basket-api as the Cart-Id header; dropped once merged at sign-in.
/// </summary>
public static class CartCookie
{
    public const string Name = "shop.cart";

    public static string? Read(HttpContext context) =>
        context.Items[Name] as string ?? (context.Request.Cookies[Name] is { Length: > 0 and <= 64 } id ? id : null);

    public static void Write(HttpContext context, string cartId)
    {
        context.Items[Name] = cartId;
        context.Response.Cookies.Append(Name, cartId, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(7),
        });
    }

    public static void Delete(HttpContext context)
    {
        context.Items[Name] = "";
        context.Response.Cookies.Delete(Name);
    }
}
