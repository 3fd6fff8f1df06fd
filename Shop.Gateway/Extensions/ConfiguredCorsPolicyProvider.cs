using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Shop.Gateway.Extensions;

/// <summary>CORS from "Gateway:Cors:AllowedOrigins", re-read on every change of the settings (no restart).</summary>
internal sealed class ConfiguredCorsPolicyProvider(IOptionsMonitor<GatewayOptions> options) : ICorsPolicyProvider
{
    private static readonly string[] ExposedHeaders =
        ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "ETag", "Location"];

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var origins = options.CurrentValue.Cors.AllowedOrigins;
        if (origins.Length == 0) return Task.FromResult<CorsPolicy?>(null);
        return Task.FromResult<CorsPolicy?>(new CorsPolicyBuilder()
            .WithOrigins(origins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build());
    }
}
