using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Shop.ServiceDefaults.Http;

/// <summary>
/// The middleware stages a service adds to the one order every service shares (see
/// <see cref="ServicePipelineExtensions.UseServicePipeline"/>); only the gateway has any.
/// </summary>
public sealed class ServicePipelineOptions
{
    /// <summary>After the forwarded headers, before authentication (edge headers, CORS, routing, timeouts).</summary>
    public List<Action<IApplicationBuilder>> BeforeAuthentication { get; } = [];

    /// <summary>Between authentication and authorization: sees the caller before an anonymous request is refused.</summary>
    public List<Action<IApplicationBuilder>> BeforeAuthorization { get; } = [];

    /// <summary>After authorization, before the endpoints.</summary>
    public List<Action<IApplicationBuilder>> AfterAuthorization { get; } = [];
}

public static class ServicePipelineExtensions
{
    /// <summary>
    /// Forwarded headers (a no-op unless the service configures <c>ForwardedHeadersOptions</c>) → the service's
    /// early stages → authentication → its caller-aware stages → authorization → its late stages. Exception handling
    /// and status-code pages come before all of it (<see cref="ErrorPipelineExtensions"/>).
    /// </summary>
    public static WebApplication UseServicePipeline(this WebApplication app)
    {
        var stages = app.Services.GetRequiredService<IOptions<ServicePipelineOptions>>().Value;
        var authentication = app.Services.GetService<IAuthenticationSchemeProvider>() is not null;

        app.UseForwardedHeaders();
        stages.BeforeAuthentication.ForEach(stage => stage(app));
        if (authentication) app.UseAuthentication();
        stages.BeforeAuthorization.ForEach(stage => stage(app));
        if (authentication) app.UseAuthorization();
        stages.AfterAuthorization.ForEach(stage => stage(app));
        return app;
    }
}
