using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Http;

namespace Shop.Gateway.Proxy;

/// <summary>
/// First stop of every request: gives it an X-Request-Id (the client's when it is sane, a new one otherwise),
/// adds the basic security headers to the answer, and refuses bodies over the configured limit with 413.
/// </summary>
internal sealed class EdgeHeadersMiddleware(RequestDelegate next, IOptionsMonitor<GatewayOptions> options)
{
    public const string RequestIdHeader = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.Request.Headers[RequestIdHeader].ToString();
        if (!IsAcceptableRequestId(requestId))
        {
            requestId = System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");
            context.Request.Headers[RequestIdHeader] = requestId;
        }

        // Set when the answer starts, so they also win over headers stored with an edge-cached answer or copied from a service.
        context.Response.OnStarting(static state =>
        {
            var (response, id) = ((HttpResponse, string))state;
            var headers = response.Headers;
            headers[RequestIdHeader] = id;
            headers.Remove("Server"); // also a service's own, copied by the proxy
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        }, (context.Response, requestId));

        var limit = options.CurrentValue.MaxRequestBodySize;
        if (context.Request.ContentLength > limit)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
                $"The request body exceeds the gateway's limit of {limit} bytes.");
            return;
        }
        // A chunked body has no length up front: Kestrel stops reading it at the limit (mapped to 413 by the proxy error handler).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        await next(context);
    }

    private static bool IsAcceptableRequestId(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
