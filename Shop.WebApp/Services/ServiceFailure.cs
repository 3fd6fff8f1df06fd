using Polly;
using Shop.WebApp.Clients;

namespace Shop.WebApp.Services;

/// <summary>
/// Tells apart the failures a page turns into a friendly message (a refused call, a service or the gateway
/// unreachable, the resilience pipeline giving up) from bugs, which still reach the error page.
/// </summary>
public static class ServiceFailure
{
    public static bool Is(Exception e) => e is ApiException or HttpRequestException or ExecutionRejectedException
        || (e is TaskCanceledException && e.InnerException is TimeoutException);

    public static ApiProblem Describe(Exception e) => e is ApiException api
        ? ApiProblem.From(api)
        : new ApiProblem(503, "This part of the shop is unavailable right now", "Please try again in a moment; the rest of the shop keeps working.",
            new Dictionary<string, string[]>(), null);
}
