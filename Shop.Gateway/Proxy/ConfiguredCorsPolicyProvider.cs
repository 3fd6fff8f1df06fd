using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Shop.Gateway.Proxy;

/// <summary>CORS from "Gateway:Cors:AllowedOrigins", rebuilt on every change of the settings (no restart).</summary>
internal sealed class ConfiguredCorsPolicyProvider(IOptionsMonitor<GatewayOptions> options) : ICorsPolicyProvider
{
    private static readonly string[] ExposedHeaders =
        ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "ETag", "Location"];

    private sealed record BuiltPolicy(string[] Origins, Task<CorsPolicy?> Policy);

    // Built once per settings change (a reload binds a new origins array), not on every request with an Origin.
    private volatile BuiltPolicy? _built;

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var origins = options.CurrentValue.Cors.AllowedOrigins;
        var built = _built;
        if (built is null || !ReferenceEquals(built.Origins, origins))
        {
            _built = built = new BuiltPolicy(origins, Task.FromResult(Build(origins)));
        }
        return built.Policy;
    }

    private static CorsPolicy? Build(string[] origins) =>
        origins.Length == 0 ? null : new CorsPolicyBuilder()
            .WithOrigins(origins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
}
