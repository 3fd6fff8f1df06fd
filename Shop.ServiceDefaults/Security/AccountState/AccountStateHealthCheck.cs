using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.ServiceDefaults.Security.AccountState;

/// <summary>DEGRADED while account changes cannot reach this process: tokens are then refused for writes (503).</summary>
internal sealed class AccountStateHealthCheck(AccountStateRedis redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsLive
            ? HealthCheckResult.Healthy("Subscribed to account changes.")
            : new HealthCheckResult(context.Registration.FailureStatus,
                "Redis is unreachable: account changes may be missed, so authenticated writes are refused (503) and reads use the last known account state."));
}
