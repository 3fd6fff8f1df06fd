namespace Shop.WebApp.Services;

/// <summary>Where a sign-in or registration returns to: only a path of this site, never another host (open redirect).</summary>
public static class LocalUrl
{
    /// <summary><paramref name="url"/> when it is a local path ("/checkout"), else "/".</summary>
    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";

    public static bool IsLocal(string? url) =>
        url is { Length: > 1 } && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\");
}
