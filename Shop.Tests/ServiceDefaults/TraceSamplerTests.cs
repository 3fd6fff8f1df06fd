using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;
using Shop.ServiceDefaults.Telemetry;

namespace Shop.Tests.ServiceDefaults;

public sealed class TraceSamplerTests
{
    private readonly FakeTimeProvider _clock = new();

    private ShopTraceSampler Sampler(Action<TraceSamplingOptions> configure)
    {
        var services = new ServiceCollection().Configure(configure).BuildServiceProvider();
        return new ShopTraceSampler(services.GetRequiredService<IOptionsMonitor<TraceSamplingOptions>>(), _clock);
    }

    private static SamplingParameters Root(ActivityKind kind = ActivityKind.Server) =>
        new(default, ActivityTraceId.CreateRandom(), "GET /api/products", kind);

    private static SamplingParameters Child(bool parentRecorded) =>
        new(new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(),
                parentRecorded ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true),
            ActivityTraceId.CreateRandom(), "ReserveStock", ActivityKind.Server);

    private static bool Recorded(Sampler sampler, SamplingParameters parameters) =>
        sampler.ShouldSample(parameters).Decision == SamplingDecision.RecordAndSample;

    [Fact]
    public void A_span_follows_its_parents_decision_whatever_the_rate()
    {
        var sampler = Sampler(o => { o.TracesPerSecond = 0; o.RatioAboveLimit = 0; });

        Assert.True(Recorded(sampler, Child(parentRecorded: true)));
        Assert.False(Recorded(sampler, Child(parentRecorded: false)));
    }

    [Fact]
    public void A_trace_that_starts_with_an_outgoing_call_is_background_noise()
    {
        var sampler = Sampler(o => o.TracesPerSecond = 100);

        Assert.False(Recorded(sampler, Root(ActivityKind.Client)));
        Assert.True(Recorded(sampler, Root(ActivityKind.Server)));
        Assert.True(Recorded(sampler, Root(ActivityKind.Consumer)));
    }

    [Fact]
    public void New_traces_are_all_recorded_up_to_the_rate_then_thinned_and_the_budget_refills_with_time()
    {
        var sampler = Sampler(o => { o.TracesPerSecond = 5; o.RatioAboveLimit = 0; });

        var first = Enumerable.Range(0, 20).Count(_ => Recorded(sampler, Root()));
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        var afterTwoFifths = Enumerable.Range(0, 20).Count(_ => Recorded(sampler, Root()));

        Assert.Equal(5, first);
        Assert.Equal(2, afterTwoFifths);
    }

    [Fact]
    public void Beyond_the_rate_a_ratio_of_traces_is_kept_and_each_trace_gets_one_answer_everywhere()
    {
        var sampler = Sampler(o => { o.TracesPerSecond = 0; o.RatioAboveLimit = 0.25; });
        var other = Sampler(o => { o.TracesPerSecond = 0; o.RatioAboveLimit = 0.25; });

        var roots = Enumerable.Range(0, 4000).Select(_ => Root()).ToList();
        var kept = roots.Count(r => Recorded(sampler, r));

        Assert.InRange(kept, 850, 1150);
        Assert.All(roots, r => Assert.Equal(Recorded(sampler, r), Recorded(other, r)));
    }

    [Fact]
    public void Sample_all_records_every_new_trace()
    {
        var sampler = Sampler(o => { o.SampleAll = true; o.TracesPerSecond = 0; o.RatioAboveLimit = 0; });

        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(Recorded(sampler, Root())));
    }
}
