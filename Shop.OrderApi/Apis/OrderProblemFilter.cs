using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Shop.OrderApi.Grpc;
using Shop.OrderApi.Model;
using Shop.OrderApi.Services;
using Shop.ServiceDefaults.Data;

namespace Shop.OrderApi.Apis;

/// <summary>Turns refusals from the order services into RFC 7807 answers (with Retry-After for 503).</summary>
public sealed class OrderProblemFilter(ILogger<OrderProblemFilter> logger) : IEndpointFilter
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
        catch (Exception ex) when (IsOverload(ex) && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // Saturated database or dependency (pool exhausted, timeouts, serialization failures, an unreachable
            // service): shed the request with a retryable answer. Any other failure is not worth a retry and goes to
            // the shared exception handler (400 for a value the database refuses, 500 otherwise).
            logger.LogWarning(ex, "Request shed: {Reason}", ex.Message);
            context.HttpContext.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service Unavailable",
                Detail = "The service is overloaded; retry shortly with the same Idempotency-Key.",
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

    private static bool IsOverload(Exception ex) =>
        DatabaseFailures.IsTransient(ex)
        || ex is RpcException rpc && (GrpcErrors.IsUnavailable(rpc) || rpc.StatusCode is StatusCode.ResourceExhausted or StatusCode.Aborted);
}
