using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.ServiceDefaults.Kafka;

/// <summary>Asks the cluster for its metadata through the client's own connection; no broker answering means DOWN.</summary>
internal sealed class KafkaHealthCheck(Func<Handle> handle) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            try
            {
                using var admin = new DependentAdminClientBuilder(handle()).Build();
                var metadata = admin.GetMetadata(Timeout);
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                    : new HealthCheckResult(context.Registration.FailureStatus, "No Kafka broker answered.");
            }
            catch (KafkaException ex)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"Kafka unreachable: {ex.Error.Reason}");
            }
        }, cancellationToken);
}
