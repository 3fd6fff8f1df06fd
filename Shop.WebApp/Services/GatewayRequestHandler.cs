using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;

namespace Shop.WebApp.Services;

/// <summary>
/// On every call to the gateway: the shopper's bearer token (from this request's sign-in or refresh, else the auth
/// cookie), the anonymous cart id, and the shopper's address for the gateway's per-client rate limit (X-Forwarded-For,
/// which the gateway believes only with the storefront's shared secret, <see cref="ShopHeaders.StorefrontSecret"/>).
/// A 401 on a call that carried a token (an account change such as a new role ends the token within seconds) is
/// answered by one refresh (<see cref="TokenRefresher"/>) and one retry with the new token, which the auth cookie then
/// keeps; only when user-api refuses the refresh is the session over: the page says "session expired" and the cookie
/// is removed (the cart stays with the account).
/// </summary>
public sealed class GatewayRequestHandler(IHttpContextAccessor accessor, IConfiguration configuration, TokenRefresher refresher) : DelegatingHandler
{
    // user-api's token exchanges authenticate by what they carry (credentials, a refresh token), not by a bearer token:
    // an ended session's token must not make them fail, and a refresh must never trigger a refresh.
    private static readonly string[] TokenExchangePaths = ["/api/users/login", "/api/users/refresh", "/api/users/logout", "/api/users/register"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = accessor.HttpContext;
        if (context is null) return await base.SendAsync(request, cancellationToken);

        AddShopperHeaders(context, request);
        var tokens = request.Headers.Authorization is null && !IsTokenExchange(request) ? CurrentTokens(context) : null;
        if (tokens is null) return await base.SendAsync(request, cancellationToken);

        request.Headers.Authorization = Bearer(tokens);
        if (request.Content is not null)
        {
            // Kept in memory so that the retry can send the same body (the storefront's bodies are small forms).
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        var renewed = await refresher.RefreshAsync(tokens.RefreshToken);
        if (renewed is null)
        {
            await EndSessionAsync(context);
            return response;
        }
        await RenewSessionAsync(context, renewed);
        response.Dispose();

        var retry = await HttpRequestCopy.CloneAsync(request, cancellationToken);
        retry.Headers.Authorization = Bearer(renewed);
        response = await base.SendAsync(retry, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            await EndSessionAsync(context);
        }
        return response;
    }

    private void AddShopperHeaders(HttpContext context, HttpRequestMessage request)
    {
        if (CartCookie.Read(context) is { Length: > 0 } cartId && !request.Headers.Contains(ShopHeaders.CartId))
        {
            request.Headers.Add(ShopHeaders.CartId, cartId);
        }
        if (configuration[ShopConfigurationKeys.StorefrontSecret] is { Length: > 0 } secret && context.Connection.RemoteIpAddress is { } address)
        {
            request.Headers.Remove("X-Forwarded-For");
            request.Headers.Add("X-Forwarded-For", address.ToString());
            request.Headers.Remove(ShopHeaders.StorefrontSecret);
            request.Headers.Add(ShopHeaders.StorefrontSecret, secret);
        }
    }

    private static bool IsTokenExchange(HttpRequestMessage request) =>
        request.RequestUri is { } uri && TokenExchangePaths.Contains(uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0], StringComparer.OrdinalIgnoreCase);

    private static SessionTokens? CurrentTokens(HttpContext context) =>
        context.Items[SessionTokens.CurrentItem] as SessionTokens
        ?? SessionTokens.From(context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties);

    private static AuthenticationHeaderValue Bearer(SessionTokens tokens) => new("Bearer", tokens.AccessToken);

    /// <summary>
    /// The new pair serves the rest of this request and is written to the auth cookie, as <see cref="SessionCookieEvents"/>
    /// does. A streamed page has sent its headers already: then the next request's cookie check takes the pair from
    /// <see cref="TokenRefresher.TryGetCompleted"/>.
    /// </summary>
    private static async Task RenewSessionAsync(HttpContext context, SessionTokens renewed)
    {
        if (Equals(context.Items[SessionTokens.CurrentItem], renewed)) return; // another call of this request did it
        context.Items[SessionTokens.CurrentItem] = renewed;
        if (context.Response.HasStarted) return;
        var properties = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.Clone()
            ?? new AuthenticationProperties { IsPersistent = true };
        renewed.StoreIn(properties);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, renewed.ToPrincipal(), properties);
    }

    private static async Task EndSessionAsync(HttpContext context)
    {
        if (context.Items[SessionCookieEvents.SessionExpiredItem] is true) return;
        context.Items[SessionCookieEvents.SessionExpiredItem] = true;
        if (!context.Response.HasStarted)
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
