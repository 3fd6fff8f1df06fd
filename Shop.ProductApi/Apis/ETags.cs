using Microsoft.Extensions.Primitives;

namespace Shop.ProductApi.Apis;

/// <summary>Strong ETags from the row version (xmin), and the If-None-Match / If-Match comparisons.</summary>
public static class ETags
{
    public static string For(uint version) => $"\"{version}\"";

    /// <summary>True when a list header such as <c>"12", W/"13"</c> or <c>*</c> names this version.</summary>
    public static bool Matches(StringValues header, uint version)
    {
        var current = For(version);
        foreach (var value in header)
        {
            foreach (var tag in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (tag == "*" || tag == current || tag == "W/" + current) return true;
            }
        }
        return false;
    }

    /// <summary>If-Match fails when it is present and names another version.</summary>
    public static bool PreconditionFails(HttpRequest request, uint version) =>
        request.Headers.IfMatch.Count > 0 && !Matches(request.Headers.IfMatch, version);
}
