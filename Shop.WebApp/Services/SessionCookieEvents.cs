using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Shop.WebApp.Services;

/// <summary>
/// Runs when the auth cookie is read, before anything renders: an access token with less than a minute left is
/// refreshed and the cookie re-issued with the new pair; a refresh an earlier request already did but could not write
/// to the cookie (its page had streamed its headers, see <see cref="GatewayRequestHandler"/>) is taken as it ended. A
/// refused refresh signs the shopper out and leaves
/// <see cref="SessionExpiredItem"/> set so the page says "session expired, sign in again" (the cart stays with the account).
/// </summary>
public sealed class SessionCookieEvents(TokenRefresher refresher, TimeProvider time) : CookieAuthenticationEvents
{
    public const string SessionExpiredItem = "shop.session-expired";
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(1);

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var tokens = SessionTokens.From(context.Properties);
        if (tokens is null)
        {
            await RejectAsync(context);
            return;
        }
        if (!refresher.TryGetCompleted(tokens.RefreshToken, out var refreshed))
        {
            if (tokens.ExpiresAt - time.GetUtcNow() > RefreshAhead) return;
            try
            {
                refreshed = await refresher.RefreshAsync(tokens.RefreshToken);
            }
            catch (Exception e) when (ServiceFailure.Is(e))
            {
                // user-api unreachable: the session stays, the page's calls say what is down and refresh on their 401.
                return;
            }
        }
        if (refreshed is null)
        {
            await RejectAsync(context);
            return;
        }
        refreshed.StoreIn(context.Properties);
        context.ReplacePrincipal(refreshed.ToPrincipal());
        context.ShouldRenew = true;
        context.HttpContext.Items[SessionTokens.CurrentItem] = refreshed;
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        context.HttpContext.Items[SessionExpiredItem] = true;
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
