using System.Globalization;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.Security;
using Yarp.ReverseProxy.Model;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// Limits proxied routes only (health, docs and OpenAPI documents are not limited). Runs after authentication so an
/// authenticated caller is limited by its token's sub, an anonymous one by client IP. Answers carry RateLimit-*
/// headers; a rejection is a 429 ProblemDetails with Retry-After. Server-Timing "ratelimit" gives the limiter's own cost.
/// </summary>
internal sealed class RateLimitingMiddleware(RequestDelegate next, EdgeRateLimiter limiter, IOptionsMonitor<RateLimitingOptions> options,
    TimeProvider time)
{
    public const string GroupMetadataKey = "RateLimitGroup";

    public async Task InvokeAsync(HttpContext context)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        if (route is null || !options.CurrentValue.Enabled)
        {
            await next(context);
            return;
        }

        var group = route.Config.Metadata?.GetValueOrDefault(GroupMetadataKey) ?? RateLimitingOptions.DefaultGroup;
        var start = time.GetTimestamp();
        var decision = await limiter.TryAcquireAsync(group, PartitionOf(context));
        var cost = time.GetElapsedTime(start);

        var resetSeconds = Math.Max(1, (int)Math.Ceiling(decision.ResetAfter.TotalSeconds));
        // Set when the answer starts so an edge-cached answer never replays another request's figures.
        context.Response.OnStarting(static state =>
        {
            var (response, decision, resetSeconds, cost) = ((HttpResponse, RateLimitDecision, int, TimeSpan))state;
            var headers = response.Headers;
            headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
            headers["RateLimit-Remaining"] = Math.Max(0, decision.Remaining).ToString(CultureInfo.InvariantCulture);
            headers["RateLimit-Reset"] = resetSeconds.ToString(CultureInfo.InvariantCulture);
            headers["Server-Timing"] = $"ratelimit;dur={cost.TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture)}";
            return Task.CompletedTask;
        }, (context.Response, decision, resetSeconds, cost));

        if (!decision.Allowed)
        {
            context.Response.Headers.RetryAfter = resetSeconds.ToString(CultureInfo.InvariantCulture);
            await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too Many Requests",
                $"Rate limit of {decision.Limit} requests exceeded for '{group}'; retry after {resetSeconds} s.");
            return;
        }

        await next(context);
    }

    private static string PartitionOf(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirst(ShopClaims.Subject)?.Value is { Length: > 0 } sub
            ? "user:" + sub
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
