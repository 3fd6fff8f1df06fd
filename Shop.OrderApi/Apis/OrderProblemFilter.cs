using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Shop.OrderApi.Model;
using Shop.OrderApi.Services;

namespace Shop.OrderApi.Apis;

/// <summary>Turns refusals from the order services into RFC 7807 answers (with Retry-After for 503).</summary>
public sealed class OrderProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OrderProblemException ex)
        {
            if (ex.RetryAfter is { } retryAfter)
            {
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
            return TypedResults.Problem(new ProblemDetails
            {
                Status = ex.Status,
                Title = ex.Title,
                Detail = ex.Message,
                Extensions = ex.Extensions.ToDictionary(),
            });
        }
        catch (IllegalOrderTransitionException ex)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Illegal Transition",
                Detail = ex.Message,
                Extensions = { ["from"] = ex.From.ToApiName(), ["to"] = ex.To.ToApiName() },
            });
        }
    }
}
