using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Each API service's own document at /openapi/v1.json, which the gateway aggregates under /docs. The gateway has
/// no API of its own and does not call <see cref="AddDefaultOpenApi"/>.
/// </summary>
public static class OpenApiExtensions
{
    public static TBuilder AddDefaultOpenApi<TBuilder>(this TBuilder builder, Action<OpenApiOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenApi(options => configure?.Invoke(options));
        builder.Services.AddSingleton<DefaultOpenApiMarker>();
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
}
