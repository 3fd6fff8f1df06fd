using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Shop.Gateway.Health;

/// <summary>
/// One entry per YARP cluster in the gateway's /health, from YARP's own active (GET /health) and passive health state:
/// Healthy when every destination is, Degraded when some are unhealthy, Unhealthy when none is left.
/// </summary>
internal sealed class ClusterHealthCheck(IProxyStateLookup proxyState, string clusterId) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxyState.TryGetCluster(clusterId, out var cluster))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Cluster '{clusterId}' is not configured."));
        }

        var destinations = cluster.Destinations.Values.ToList();
        var healthy = destinations.Count(IsHealthy);
        // The gateway's /health is public: counts only. Addresses and per-destination states stay in YARP's own logs
        // and on the services' ports.
        var detail = $"{healthy}/{destinations.Count} destinations healthy";
        var result = healthy == 0 ? HealthCheckResult.Unhealthy(detail)
            : healthy < destinations.Count ? HealthCheckResult.Degraded(detail)
            : HealthCheckResult.Healthy(detail);
        return Task.FromResult(result);
    }

    private static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;
}
