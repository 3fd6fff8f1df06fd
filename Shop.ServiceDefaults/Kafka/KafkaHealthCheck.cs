using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.ServiceDefaults.Kafka;

/// <summary>
/// Asks the cluster for its metadata through the client's own connection; no broker answering reports the
/// registration's failure status (Degraded). An answer is reused for <see cref="ReusedFor"/>, so a Kafka outage or
/// recovery shows up to that much later: each metadata request costs the service CPU and about 100 ms, and the
/// gateway and the AppHost each probe every 5 s (README, "Where idle CPU goes now"). One instance per client.
/// </summary>
internal sealed class KafkaHealthCheck(IClient client, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReusedFor = TimeSpan.FromSeconds(10);

    private sealed record Answer(long At, HealthCheckResult Result);

    private volatile Answer? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_last is { } last && time.GetElapsedTime(last.At) < ReusedFor) return last.Result;
        var result = await Task.Run(() => Ask(context), cancellationToken);
        _last = new Answer(time.GetTimestamp(), result);
        return result;
    }

    private HealthCheckResult Ask(HealthCheckContext context)
    {
        try
        {
            using var admin = new DependentAdminClientBuilder(client.Handle).Build();
            var metadata = admin.GetMetadata(Timeout);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                : new HealthCheckResult(context.Registration.FailureStatus, "No Kafka broker answered.");
        }
        catch (KafkaException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Kafka unreachable: {ex.Error.Reason}");
        }
    }
}
