using System.Net;
using System.Security.Cryptography;
using System.Text;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;

namespace Shop.Gateway.Proxy;

/// <summary>
/// The storefront (Shop.WebApp) calls the gateway for every shopper from its own address; it names the shopper's
/// address in X-Forwarded-For and proves it is the storefront with the shared secret header
/// (<see cref="ShopHeaders.StorefrontSecret"/> = <see cref="ShopConfigurationKeys.GatewayStorefrontSecret"/>, a
/// parameter the AppHost generates). Only then does the gateway take that address as the client's, for the per-client
/// rate limit and the X-Forwarded-For it sends on.
/// The secret header never goes further; anyone else's X-Forwarded-For is ignored as before.
/// </summary>
internal sealed class StorefrontClientAddressMiddleware(RequestDelegate next, IConfiguration configuration)
{
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.TryGetValue(ShopHeaders.StorefrontSecret, out var presented))
        {
            headers.Remove(ShopHeaders.StorefrontSecret);
            if (configuration[ShopConfigurationKeys.GatewayStorefrontSecret] is { Length: > 0 } secret
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented.ToString()), Encoding.UTF8.GetBytes(secret))
                && IPAddress.TryParse(headers["X-Forwarded-For"].ToString().Split(',')[^1].Trim(), out var shopper))
            {
                context.Connection.RemoteIpAddress = shopper;
            }
        }
        return next(context);
    }
}
