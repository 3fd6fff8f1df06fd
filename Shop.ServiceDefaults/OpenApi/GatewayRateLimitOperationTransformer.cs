using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>
/// Every operation is reached through the gateway (the document's server), whose rate limits answer 429 with
/// Retry-After on any proxied route (Shop.Gateway's RateLimitingMiddleware).
/// </summary>
internal sealed class GatewayRateLimitOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
        OpenApiProblemResponses.AddAsync(operation, context, StatusCodes.Status429TooManyRequests,
            "Too many requests from this client (the gateway's rate limit); Retry-After says when to try again.", cancellationToken);
}
