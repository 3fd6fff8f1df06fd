using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Shop.ServiceDefaults.Kafka;

/// <summary>
/// Trace propagation across Kafka (W3C traceparent in message headers) and message counters, following the
/// OpenTelemetry messaging conventions, so one trace runs from an HTTP request through a producer to a consumer.
/// </summary>
public static class KafkaTelemetry
{
    public const string Name = "Shop.Kafka";

    public static readonly ActivitySource ActivitySource = new(Name);
    private static readonly Meter Meter = new(Name);
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("messaging.client.sent.messages");
    private static readonly Counter<long> Consumed = Meter.CreateCounter<long>("messaging.client.consumed.messages");
    // Explicit W3C trace context + baggage: the process-wide default is a no-op until an OpenTelemetry SDK is built.
    private static readonly TextMapPropagator Propagator =
        new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);

    /// <summary>Starts a producer span and writes its context into the message headers.</summary>
    public static Activity? StartPublish(string topic, Headers headers, ActivityContext? parent = null)
    {
        var activity = parent is { } context
            ? ActivitySource.StartActivity($"{topic} publish", ActivityKind.Producer, context)
            : ActivitySource.StartActivity($"{topic} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.operation.type", "send");
        Inject(activity?.Context ?? Activity.Current?.Context ?? default, headers);
        Published.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", topic));
        return activity;
    }

    /// <summary>Starts a consumer span continuing the trace found in the message headers.</summary>
    public static Activity? StartProcess<TKey, TValue>(ConsumeResult<TKey, TValue> result)
    {
        var parent = Extract(result.Message.Headers);
        var activity = ActivitySource.StartActivity($"{result.Topic} process", ActivityKind.Consumer, parent.ActivityContext);
        Baggage.Current = parent.Baggage;
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", result.Topic);
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString());
        activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        Consumed.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", result.Topic));
        return activity;
    }

    public static void Inject(ActivityContext context, Headers headers) =>
        Propagator.Inject(new PropagationContext(context, Baggage.Current), headers, static (h, key, value) =>
        {
            h.Remove(key);
            h.Add(key, Encoding.UTF8.GetBytes(value));
        });

    public static PropagationContext Extract(Headers? headers) =>
        Propagator.Extract(default, headers, static (h, key) =>
            h is not null && h.TryGetLastBytes(key, out var bytes) ? [Encoding.UTF8.GetString(bytes)] : []);

    public static string? GetHeader(this Headers? headers, string key) =>
        headers is not null && headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
