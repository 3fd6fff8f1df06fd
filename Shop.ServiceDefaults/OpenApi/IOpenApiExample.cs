namespace Shop.ServiceDefaults.OpenApi;

/// <summary>
/// A request or response contract with an example value, shown in its schema in the OpenAPI
/// document (<see cref="ExampleSchemaTransformer"/>; JSON Schema's <c>examples</c>): what /docs pre-fills and a reader copies.
/// </summary>
public interface IOpenApiExample<TSelf> where TSelf : IOpenApiExample<TSelf>
{
    static abstract TSelf Example { get; }
}
