using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Shop.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Shop.Gateway.Proxy;

/// <summary>Turns YARP's bare error statuses into ProblemDetails; a body cut off at the size limit is a 413.</summary>
internal sealed class ProxyErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted) return;

        if (error.Exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            || error.Exception?.InnerException is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
                "The request body exceeds the gateway's limit.");
            return;
        }

        // The route's timeout (request timeouts middleware) cancels the proxied call: YARP sees a canceled request and
        // answers 400, but the client waited for a service that was too slow: that is a 504.
        if (error.Error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
            && context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "Gateway Timeout",
                "The service did not answer within the route's timeout.");
            return;
        }

        var (title, detail) = error.Error switch
        {
            ForwarderError.RequestTimedOut => ("Gateway Timeout", "The service did not answer in time."),
            ForwarderError.NoAvailableDestinations => ("Service Unavailable", "No healthy instance of the service is available."),
            _ => ("Bad Gateway", $"The service could not be reached ({error.Error})."),
        };
        var status = context.Response.StatusCode >= 400 ? context.Response.StatusCode : StatusCodes.Status502BadGateway;
        await ProblemResponses.WriteAsync(context, status, title, detail);
    }
}
