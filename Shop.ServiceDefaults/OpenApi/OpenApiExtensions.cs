using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Shop.ServiceDefaults.OpenApi;

/// <summary>
/// Every service's OpenAPI document (/openapi/v1.json, and Shop.Xxx.json beside the project at build time), the
/// contract the gateway's /docs shows and clients are generated from: <c>info</c> and <c>servers</c> (the gateway,
/// where every route is reached), the bearer JWT scheme, per operation its security requirement and 401/403 problems
/// read from the endpoint's authorization metadata (<see cref="AuthorizationOperationTransformer"/>) and the gateway's
/// 429, and numbers typed as numbers. Each endpoint states its summary, name (the operationId) and its own problems.
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentName = "v1";

    /// <summary>Where each service serves its document: MapOpenApi's route, /openapi/{documentName}.json.</summary>
    public const string DocumentPath = "/openapi/" + DocumentName + ".json";

    /// <param name="title">The document's title, e.g. "Shop user-api".</param>
    /// <param name="description">What the service's API is for, in a sentence or two.</param>
    /// <param name="tags">Each tag the endpoints use (WithTags) → its description.</param>
    public static IHostApplicationBuilder AddDefaultOpenApi(this IHostApplicationBuilder builder, string title, string description,
        IReadOnlyDictionary<string, string> tags)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = title, Version = DocumentName, Description = description };
                // Relative: the gateway that serves the document (every route goes through it) is the server.
                document.Servers = [new OpenApiServer { Url = "/", Description = "The gateway (http://localhost:8080 under ./shop run)." }];
                document.Tags = new HashSet<OpenApiTag>(tags.Select(tag => new OpenApiTag { Name = tag.Key, Description = tag.Value }));
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[AuthorizationOperationTransformer.BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An access token from POST /api/users/login (or /api/users/refresh).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<AuthorizationOperationTransformer>();
            options.AddOperationTransformer<GatewayRateLimitOperationTransformer>();
            options.AddSchemaTransformer<NumberSchemaTransformer>();
            options.AddSchemaTransformer<ExampleSchemaTransformer>();
        });
        builder.Services.AddSingleton<DefaultOpenApiMarker>();

        if (BuildTimeDocument.IsGenerating)
        {
            // The generator starts the host (with a server that listens nowhere): background work that needs the
            // database, Redis or Kafka stays off, so the document builds on a machine with none of them.
            builder.ConfigureContainer(new WebHostOnlyServiceProviderFactory());
        }
        return builder;
    }

    /// <summary>Maps the document when the service registered one (called by MapDefaultEndpoints).</summary>
    internal static WebApplication MapDefaultOpenApi(this WebApplication app)
    {
        if (app.Services.GetService<DefaultOpenApiMarker>() is not null)
        {
            app.MapOpenApi();
        }
        return app;
    }

    private sealed class DefaultOpenApiMarker;

    private sealed class WebHostOnlyServiceProviderFactory : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            // GenericWebHostService (internal) is the one hosted service that must run: it builds the endpoints.
            var webHost = typeof(GenericHostWebHostBuilderExtensions).Assembly;
            for (var i = services.Count - 1; i >= 0; i--)
            {
                var descriptor = services[i];
                if (descriptor.ServiceType == typeof(IHostedService) && descriptor.ImplementationType?.Assembly != webHost)
                {
                    services.RemoveAt(i);
                }
            }
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => containerBuilder.BuildServiceProvider();
    }
}
