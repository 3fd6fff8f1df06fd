using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Shop.ServiceDefaults.Security;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>
/// An operation whose endpoint requires authorization (RequireAuthorization, without AllowAnonymous) gets the bearer
/// security requirement, so a generated client sends the token, and a 401 problem; one that names a policy or roles
/// also a 403 problem. One that only asks for <see cref="ShopClaims.OptionalTokenPolicy"/> states the bearer scheme
/// or nothing (<c>[{}, {Bearer: []}]</c>) and a 401 for a bad token. Any other operation states an empty security
/// requirement: it is public.
/// </summary>
public sealed class AuthorizationOperationTransformer : IOpenApiOperationTransformer
{
    public const string BearerScheme = "Bearer";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var requirements = metadata.OfType<IAuthorizeData>().ToList();
        if (requirements.Count == 0 || metadata.OfType<IAllowAnonymous>().Any())
        {
            // Stated, not left out: an empty list says "no token needed" to readers, linters and generators.
            operation.Security = [];
            return;
        }

        var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] };
        if (requirements.All(r => r.Policy == ShopClaims.OptionalTokenPolicy && r.Roles is null))
        {
            operation.Security = [new OpenApiSecurityRequirement(), bearer];
            await OpenApiProblemResponses.AddAsync(operation, context, StatusCodes.Status401Unauthorized,
                "A token was sent but is not valid: malformed, expired, or of a deactivated account or ended session.", cancellationToken);
            return;
        }

        operation.Security = [bearer];
        await OpenApiProblemResponses.AddAsync(operation, context, StatusCodes.Status401Unauthorized,
            "No valid access token: missing, malformed, expired, or of a deactivated account or ended session.", cancellationToken);
        if (requirements.Any(r => r.Policy is not null and not ShopClaims.OptionalTokenPolicy || r.Roles is not null))
        {
            await OpenApiProblemResponses.AddAsync(operation, context, StatusCodes.Status403Forbidden,
                "The token is valid but its role may not do this (admin only).", cancellationToken);
        }
    }
}
