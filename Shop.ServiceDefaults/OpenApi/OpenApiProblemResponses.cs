using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>Documents an RFC 7807 answer (application/problem+json, the ProblemDetails schema) on an operation.</summary>
internal static class OpenApiProblemResponses
{
    private const string ProblemSchema = nameof(ProblemDetails);

    /// <summary>Adds the response for <paramref name="status"/> unless the endpoint already documents one.</summary>
    public static async Task AddAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description,
        CancellationToken cancellationToken)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(ProblemSchema) != true)
        {
            document.AddComponent(ProblemSchema, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken));
        }
        operation.Responses ??= [];
        operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        });
    }
}
