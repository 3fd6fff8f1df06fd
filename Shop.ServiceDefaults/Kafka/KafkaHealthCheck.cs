using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.ServiceDefaults.Kafka;

/// <summary>
/// Asks the cluster for its metadata through the client's own connection; no broker answering means DOWN. An answer
/// is reused for <see cref="ReusedFor"/>: a metadata round trip cost about 2.3 ms of the service's CPU and 100 ms of
/// wall time per probe (order-api's /health went 5.3 ms of CPU per call), and the gateway and the AppHost each
/// probe every 5 s, so a Kafka outage or recovery shows up to 10 s later than the probe that would have seen it.
/// </summary>
internal sealed class KafkaHealthCheck(IClient client, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReusedFor = TimeSpan.FromSeconds(10);

    private (long At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_last is { } last && time.GetElapsedTime(last.At) < ReusedFor) return last.Result;
        var result = await Task.Run(() => Ask(context), cancellationToken);
        _last = (time.GetTimestamp(), result);
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
