using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Shop.ServiceDefaults.Telemetry;

/// <summary>
/// Decides once per trace, where it starts, and every later hop follows (the W3C sampled flag travels with the trace
/// context over HTTP, gRPC and Kafka):
/// <list type="bullet">
/// <item>a span with a parent is recorded exactly when its parent was;</item>
/// <item>a new trace that starts with an outgoing call (a poller's SQL query, a health probe) is background work that
/// opened no span of its own, and is not recorded: work worth seeing starts a span first (a relay batch that published,
/// an expiry that cancelled);</item>
/// <item>other new traces (requests, consumed messages without context) are all recorded up to
/// <see cref="TraceSamplingOptions.TracesPerSecond"/> per second, beyond that a ratio of them: complete at a developer's
/// pace, thinned only under load.</item>
/// </list>
/// The settings are read live (section <see cref="TraceSamplingOptions.SectionName"/>).
/// </summary>
public sealed class ShopTraceSampler : Sampler
{
    private readonly IOptionsMonitor<TraceSamplingOptions> _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _lastRefill;

    public ShopTraceSampler(IOptionsMonitor<TraceSamplingOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _tokens = Math.Max(0, options.CurrentValue.TracesPerSecond);
        _lastRefill = time.GetTimestamp();
        Description = nameof(ShopTraceSampler);
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId != default)
        {
            return (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? Sampled : NotSampled;
        }
        if (samplingParameters.Kind == ActivityKind.Client)
        {
            return NotSampled;
        }

        var settings = _options.CurrentValue;
        return settings.SampleAll || TakeToken(settings) || WithinRatio(samplingParameters.TraceId, settings.RatioAboveLimit)
            ? Sampled
            : NotSampled;
    }

    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult NotSampled = new(SamplingDecision.Drop);

    private bool TakeToken(TraceSamplingOptions settings)
    {
        var perSecond = Math.Max(0, settings.TracesPerSecond);
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(Math.Max(1, perSecond), _tokens + _time.GetElapsedTime(_lastRefill, now).TotalSeconds * perSecond);
            _lastRefill = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }

    /// <summary>The trace id's low 8 bytes as a fraction: the same trace gets the same answer in every process.</summary>
    internal static bool WithinRatio(ActivityTraceId traceId, double ratio)
    {
        if (ratio <= 0) return false;
        if (ratio >= 1) return true;
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) >> 11; // 53 bits
        return value < (ulong)(ratio * (1UL << 53));
    }
}
