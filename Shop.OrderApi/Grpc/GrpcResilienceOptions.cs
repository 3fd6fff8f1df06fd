namespace Shop.OrderApi.Grpc;

/// <summary>
/// Resilience of order-api's gRPC calls to product-api (section "Orders:GrpcResilience", live-reloaded). The breaker
/// opens when at least 3 calls in 10 s saw 60 % failures, and stays open 60 s before a half-open trial: with
/// product-api down, orders are refused with 503 at once instead of each waiting out its retries and timeouts.
/// </summary>
public sealed class GrpcResilienceOptions
{
    public const string SectionName = "Orders:GrpcResilience";

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(15);
    public int MaxRetries { get; set; } = 2;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public int BreakerMinimumThroughput { get; set; } = 3;
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);
    public double BreakerFailureRatio { get; set; } = 0.6;
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(60);
}
