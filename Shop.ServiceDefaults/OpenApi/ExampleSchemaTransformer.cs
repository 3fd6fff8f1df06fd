using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>Sets the <c>examples</c> of each schema whose type implements <see cref="IOpenApiExample{TSelf}"/>, written as the API writes JSON.</summary>
internal sealed class ExampleSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        // A property's schema too: a type met first as a property keeps its example when it becomes a component.
        if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IOpenApiExample<>))
            && type.GetProperty(nameof(IOpenApiExample<>.Example))?.GetValue(null) is { } example
            && JsonSerializer.SerializeToNode(example, type, JsonSerializerOptions.Web) is { } json)
        {
            schema.Examples = [json];
        }
        return Task.CompletedTask;
    }
}
