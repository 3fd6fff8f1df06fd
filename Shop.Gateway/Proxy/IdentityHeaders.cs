using Shop.ServiceDefaults.Security;
using Yarp.ReverseProxy.Transforms;

namespace Shop.Gateway.Proxy;

/// <summary>
/// The services may trust X-User-Id / X-User-Role only because the gateway never forwards a client's own:
/// they are removed from every proxied request and set again from the validated token.
/// </summary>
internal sealed class IdentityHeadersTransform : RequestTransform
{
    public const string UserId = "X-User-Id";
    public const string UserRole = "X-User-Role";

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        // RemoveHeader/AddHeader work whether or not YARP has copied the client's headers yet.
        RemoveHeader(context, UserId);
        RemoveHeader(context, UserRole);

        var user = context.HttpContext.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            if (user.FindFirst(ShopClaims.Subject)?.Value is { Length: > 0 } subject) AddHeader(context, UserId, subject);
            if (user.FindFirst(ShopClaims.Role)?.Value is { Length: > 0 } role) AddHeader(context, UserRole, role);
        }
        return ValueTask.CompletedTask;
    }
}
