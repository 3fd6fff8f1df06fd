using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Shop.Gateway.Proxy;

/// <summary>
/// Connections from the gateway to the services: short connect timeout, and a bounded connection lifetime so
/// traffic spreads again over replicas that come back (in run mode each service address is Aspire's proxy, which
/// balances replicas per connection). Idempotent requests that failed before reaching a service are retried once.
/// </summary>
internal sealed class TunedForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = TimeSpan.FromSeconds(2);
        handler.PooledConnectionLifetime = TimeSpan.FromSeconds(15);
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30);
        handler.EnableMultipleHttp2Connections = true;
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        base.WrapHandler(context, new RetryConnectFailureHandler(handler));

    private sealed class RetryConnectFailureHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex) when (IsSafeToRetry(request, ex) && !cancellationToken.IsCancellationRequested)
            {
                // A replica that just stopped refuses or resets the connection; a new connection reaches a live one.
                return await base.SendAsync(request, cancellationToken);
            }
        }

        private static bool IsSafeToRetry(HttpRequestMessage request, HttpRequestException ex) =>
            request.Content is null
            && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options)
            && (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded
                || ex.InnerException is SocketException or IOException);
    }
}
