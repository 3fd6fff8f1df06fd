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
        var detail = $"{healthy}/{destinations.Count} destinations healthy ({string.Join(", ", destinations.Select(Describe))})";
        var result = healthy == 0 ? HealthCheckResult.Unhealthy(detail)
            : healthy < destinations.Count ? HealthCheckResult.Degraded(detail)
            : HealthCheckResult.Healthy(detail);
        return Task.FromResult(result);
    }

    private static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;

    private static string Describe(DestinationState destination) =>
        $"{destination.Model.Config.Address} active={destination.Health.Active} passive={destination.Health.Passive}";
}
