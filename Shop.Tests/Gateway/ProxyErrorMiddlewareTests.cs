using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Shop.Gateway.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace Shop.Tests.Gateway;

/// <summary>What the gateway answers when YARP could not complete a proxied request.</summary>
public sealed class ProxyErrorMiddlewareTests
{
    [Fact]
    public async Task A_call_cut_by_the_routes_timeout_is_a_504_not_YARPs_400()
    {
        using var timeout = new CancellationTokenSource();
        await timeout.CancelAsync();

        var context = await ProxyAsync(ForwarderError.RequestCanceled, yarpStatus: StatusCodes.Status400BadRequest, timeout.Token);

        Assert.Equal(StatusCodes.Status504GatewayTimeout, context.Response.StatusCode);
        Assert.Contains("Gateway Timeout", Body(context));
    }

    [Fact]
    public async Task A_client_that_went_away_is_not_reported_as_a_timeout()
    {
        var context = await ProxyAsync(ForwarderError.RequestCanceled, yarpStatus: StatusCodes.Status400BadRequest, CancellationToken.None);

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
    }

    [Fact]
    public async Task An_unreachable_service_is_a_502_problem()
    {
        var context = await ProxyAsync(ForwarderError.Request, yarpStatus: StatusCodes.Status502BadGateway, CancellationToken.None);

        Assert.Equal(StatusCodes.Status502BadGateway, context.Response.StatusCode);
        Assert.Contains("Bad Gateway", Body(context));
    }

    private static async Task<HttpContext> ProxyAsync(ForwarderError error, int yarpStatus, CancellationToken routeTimeout)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        context.Features.Set<IHttpRequestTimeoutFeature>(new RouteTimeout(routeTimeout));
        var middleware = new ProxyErrorMiddleware(proxied =>
        {
            proxied.Response.StatusCode = yarpStatus;
            proxied.Features.Set<IForwarderErrorFeature>(new ForwarderFailure(error));
            return Task.CompletedTask;
        });

        await middleware.InvokeAsync(context);
        return context;
    }

    private static string Body(HttpContext context) =>
        System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private sealed record RouteTimeout(CancellationToken RequestTimeoutToken) : IHttpRequestTimeoutFeature
    {
        public void DisableTimeout() { }
    }

    private sealed record ForwarderFailure(ForwarderError Error) : IForwarderErrorFeature
    {
        public Exception? Exception => null;
    }
}
