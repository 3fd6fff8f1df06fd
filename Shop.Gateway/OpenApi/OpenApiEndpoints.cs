using System.Text.Json.Nodes;
using Scalar.AspNetCore;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;
using Shop.ServiceDefaults.OpenApi;
using Shop.ServiceDefaults.Refusals;

namespace Shop.Gateway.OpenApi;

/// <summary>
/// One API surface: /openapi/{service}.json is each service's own /openapi/v1.json, fetched through service discovery
/// and pointed at the gateway (servers = this origin, a "Bearer" JWT scheme), and /docs is one Scalar UI over all of them.
/// </summary>
internal static class OpenApiEndpoints
{
    public const string HttpClientName = "openapi";
    public const string BearerScheme = "Bearer";

    /// <summary>Document name (as in /openapi/{name}.json) → service (its service-discovery name).</summary>
    public static readonly IReadOnlyDictionary<string, (string Service, string Title)> Documents = new Dictionary<string, (string, string)>
    {
        ["users"] = (ShopResources.UserApi, "Users"),
        ["products"] = (ShopResources.ProductApi, "Products & categories"),
        ["orders"] = (ShopResources.OrderApi, "Orders"),
        ["notifications"] = (ShopResources.Notifier, "Notifications"),
        ["basket"] = (ShopResources.BasketApi, "Basket"),
    };

    public static IEndpointRouteBuilder MapOpenApiDocuments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi/{document}.json", GetDocumentAsync).ExcludeFromDescription();

        app.MapScalarApiReference("/docs", options =>
        {
            options.WithTitle("Shop API");
            options.WithOpenApiRoutePattern("/openapi/{documentName}.json");
            var first = true;
            foreach (var (name, (_, title)) in Documents)
            {
                options.AddDocument(name, title, isDefault: first);
                first = false;
            }
            options.AddPreferredSecuritySchemes(BearerScheme);
            options.AddHttpAuthentication(BearerScheme, _ => { });
        });
        return app;
    }

    private static async Task<IResult> GetDocumentAsync(string document, HttpContext context, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        if (!Documents.TryGetValue(document, out var target))
        {
            throw new NotFoundRefusal($"No OpenAPI document '{document}'. Known: {string.Join(", ", Documents.Keys)}.");
        }

        using var response = await clients.CreateClient(HttpClientName)
            .GetAsync(new Uri(ShopResources.HttpAddress(target.Service), OpenApiExtensions.DocumentPath), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The same 502 problem the proxy answers with when a service fails (ProxyErrorMiddleware).
            await ProblemResponses.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad Gateway",
                $"{target.Service} answered {(int)response.StatusCode} for its OpenAPI document.");
            return TypedResults.Empty;
        }

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
        json["servers"] = new JsonArray(new JsonObject { ["url"] = $"{context.Request.Scheme}://{context.Request.Host}" });
        var components = json["components"] as JsonObject ?? (JsonObject)(json["components"] = new JsonObject());
        var schemes = components["securitySchemes"] as JsonObject ?? (JsonObject)(components["securitySchemes"] = new JsonObject());
        schemes[BearerScheme] ??= new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["bearerFormat"] = "JWT",
            ["description"] = "Access token from POST /api/users/login.",
        };
        return TypedResults.Text(json.ToJsonString(), "application/json; charset=utf-8");
    }
}
