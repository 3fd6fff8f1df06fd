using System.Net.Sockets;
using System.Text;
using Yarp.ReverseProxy.Forwarder;

namespace Shop.Gateway.Proxy;

/// <summary>
/// Connections from the gateway to the services: short connect timeout, and a bounded connection lifetime so
/// traffic spreads again over replicas that come back (in run mode each service address is Aspire's proxy, which
/// balances replicas per connection). Idempotent requests that failed before reaching a live replica are retried on a new connection.
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
        // Kestrel reads a header value that is not ASCII as UTF-8; sent on the same way. The handler's default (ASCII
        // only) threw before sending, and the passive health check counted that as the replica's transport failure:
        // a few anonymous requests with "X-Note: café" took a service off the gateway for everyone.
        handler.RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8;
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        base.WrapHandler(context, new RetryConnectFailureHandler(handler));

    /// <summary>
    /// Retries an idempotent, bodiless request on a new connection when the first attempt never reached a live
    /// replica (connection refused or reset) or met a draining one (503 with Connection: close, as every Shop service
    /// answers while it shuts down). Up to two retries; anything else is returned as is.
    /// </summary>
    private sealed class RetryConnectFailureHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private const int MaxRetries = 2;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!IsRetriable(request)) return await base.SendAsync(request, cancellationToken);

            for (var attempt = 0; ; attempt++)
            {
                HttpResponseMessage response;
                try
                {
                    response = await base.SendAsync(request, cancellationToken);
                }
                catch (HttpRequestException ex) when (attempt < MaxRetries && IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
                {
                    continue;
                }
                if (attempt < MaxRetries && IsDraining(response) && !cancellationToken.IsCancellationRequested)
                {
                    response.Dispose();
                    continue;
                }
                return response;
            }
        }

        private static bool IsRetriable(HttpRequestMessage request) =>
            request.Content is null
            && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options);

        private static bool IsConnectionFailure(HttpRequestException ex) =>
            ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded
            || ex.InnerException is SocketException or IOException;

        private static bool IsDraining(HttpResponseMessage response) =>
            response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && response.Headers.ConnectionClose == true;
    }
}
