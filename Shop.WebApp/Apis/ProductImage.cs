using System.Security.Cryptography;
using System.Text;

namespace Shop.WebApp.Apis;

/// <summary>
/// A product's placeholder picture: an SVG (400×400) with the name's initials on a colour derived from the product id,
/// so every product has a stable image without an external host. <c>?name=</c> gives the initials (at most 2 letters).
/// </summary>
public static class ProductImage
{
    public static IResult Draw(string id, string? name, HttpContext context)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(id));
        var hue = (hash[0] << 8 | hash[1]) % 360;
        var initials = new string((name ?? "?").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.FirstOrDefault(char.IsLetterOrDigit)).Where(c => c != default).Take(2).Select(char.ToUpperInvariant).ToArray());
        if (initials.Length == 0) initials = "?";
        var svg = $"""
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" role="img">
              <rect width="400" height="400" fill="hsl({hue},55%,45%)"/>
              <circle cx="200" cy="200" r="130" fill="hsl({(hue + 40) % 360},60%,60%)"/>
              <text x="200" y="200" dy="0.35em" text-anchor="middle" font-family="sans-serif" font-size="110" font-weight="700" fill="#fff">{initials}</text>
            </svg>
            """;
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.Text(svg, "image/svg+xml");
    }
}
