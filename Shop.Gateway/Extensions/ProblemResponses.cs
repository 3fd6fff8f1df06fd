using Microsoft.AspNetCore.Mvc;

namespace Shop.Gateway.Extensions;

/// <summary>Answers written by the gateway itself (not proxied) are RFC 7807 ProblemDetails like every service's.</summary>
internal static class ProblemResponses
{
    public static ValueTask WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
