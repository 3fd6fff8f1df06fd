using System.Globalization;
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

    /// <summary>
    /// The versions If-Match accepts: null when the header is absent or <c>*</c> (any version); otherwise the
    /// versions its tags name (strong or weak), empty when none is one of ours.
    /// </summary>
    public static IReadOnlySet<uint>? AcceptedVersions(HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0) return null;
        var versions = new HashSet<uint>();
        foreach (var value in header)
        {
            foreach (var tag in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (tag == "*") return null;
                var quoted = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
                if (quoted is ['"', .. var digits, '"'] && uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    versions.Add(version);
                }
            }
        }
        return versions;
    }
}
