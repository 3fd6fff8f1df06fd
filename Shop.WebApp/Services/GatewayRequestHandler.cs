using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;

namespace Shop.WebApp.Services;

/// <summary>
/// On every call to the gateway: the shopper's bearer token (from this request's sign-in or refresh, else the auth
/// cookie), the anonymous cart id, and the shopper's address for the gateway's per-client rate limit (X-Forwarded-For,
/// which the gateway believes only with the storefront's shared secret, <see cref="StorefrontSecretHeader"/>). A 401 on a
/// call that carried a token means the session ended: the page shows "session expired".
/// </summary>
public sealed class GatewayRequestHandler(IHttpContextAccessor accessor, IConfiguration configuration) : DelegatingHandler
{
    public const string StorefrontSecretHeader = "X-Storefront-Secret";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = accessor.HttpContext;
        SessionTokens? tokens = null;
        if (context is not null)
        {
            tokens = context.Items[SessionTokens.CurrentItem] as SessionTokens
                ?? SessionTokens.From(context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties);
            if (tokens is not null && request.Headers.Authorization is null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            }
            if (CartCookie.Read(context) is { Length: > 0 } cartId && !request.Headers.Contains(CartCookie.Header))
            {
                request.Headers.Add(CartCookie.Header, cartId);
            }
            if (configuration["Storefront:Secret"] is { Length: > 0 } secret && context.Connection.RemoteIpAddress is { } address)
            {
                request.Headers.Remove("X-Forwarded-For");
                request.Headers.Add("X-Forwarded-For", address.ToString());
                request.Headers.Add(StorefrontSecretHeader, secret);
            }
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && tokens is not null && context is not null)
        {
            context.Items[SessionCookieEvents.SessionExpiredItem] = true;
        }
        return response;
    }
}
