namespace Shop.OrderApi.Grpc;

/// <summary>
/// Resilience of the gRPC calls to UserApi and ProductApi (section "Orders:GrpcResilience", live-reloaded).
/// Breaker defaults are the original design's: at least 3 calls in 10 s, 60 % failures → open 60 s, then half-open.
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
