using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.ServiceDefaults.Shutdown;

internal sealed class ShutdownHealthCheck(ShutdownState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining
            ? HealthCheckResult.Unhealthy("Shutting down: draining in-flight work.")
            : HealthCheckResult.Healthy());
}
