using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Shop.OrderApi.Services;

namespace Shop.OrderApi.Grpc;

public static class GrpcErrors
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Whether the call failed because the other service is unreachable, slow or shed by the breaker.</summary>
    public static bool IsUnavailable(RpcException ex) =>
        ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        || Find<BrokenCircuitException>(ex) is not null
        || Find<TimeoutRejectedException>(ex) is not null
        || Find<HttpRequestException>(ex) is not null;

    /// <summary>503 + Retry-After for an unavailable dependency (the break duration when the breaker is open).</summary>
    public static OrderProblemException Unavailable(RpcException ex, string service, TimeSpan breakDuration)
    {
        var breaker = Find<BrokenCircuitException>(ex);
        var retryAfter = breaker is null ? DefaultRetryAfter : breakDuration;
        var detail = breaker is null
            ? $"The {service} service did not answer; try again shortly."
            : $"Calls to the {service} service are paused after repeated failures; try again later.";
        return new OrderProblemException(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", detail, retryAfter);
    }

    private static T? Find<T>(RpcException ex) where T : Exception
    {
        for (Exception? current = ex.Status.DebugException ?? ex.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }
}
