using System.Globalization;
using System.Text.Json;

namespace Shop.Benchmarks.Traces;

/// <summary>One span of a trace as the bench reads it from OTLP JSON.</summary>
/// <param name="Service">The emitting resource's <c>service.name</c> (e.g. "order-api"; replicas share it).</param>
/// <param name="StartUnixNano">Start, nanoseconds since the Unix epoch (OTLP's <c>startTimeUnixNano</c>).</param>
/// <param name="EndUnixNano">End, nanoseconds since the Unix epoch (OTLP's <c>endTimeUnixNano</c>).</param>
/// <param name="Detail">What the span did beyond its name: the SQL text of a database span, else null.</param>
public sealed record TraceSpan(string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, SpanKind Kind,
    ulong StartUnixNano, ulong EndUnixNano, string? Detail)
{
    public double DurationMs => (EndUnixNano - Math.Min(StartUnixNano, EndUnixNano)) / 1e6;
}

/// <summary>OTLP's SpanKind numbers (opentelemetry-proto trace.proto).</summary>
public enum SpanKind { Unspecified = 0, Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5 }

/// <summary>
/// Reads spans from OTLP JSON (the OpenTelemetry protocol's JSON encoding, https://opentelemetry.io/docs/specs/otlp/):
/// <c>{"resourceSpans":[{"resource":{"attributes":[…]},"scopeSpans":[{"spans":[…]}]}]}</c>, either bare or wrapped as
/// <c>{"data":{…}}</c> the way Aspire's dashboard telemetry API answers. Times may be JSON strings or numbers (OTLP
/// allows both for 64-bit integers).
/// </summary>
public static class OtlpJson
{
    /// <summary>Span attributes holding a database statement: current semantic conventions, then the older name.</summary>
    private static readonly string[] StatementAttributes = ["db.query.text", "db.statement"];

    /// <exception cref="JsonException">The text is not JSON, or a span lacks its ids or times.</exception>
    public static IReadOnlyList<TraceSpan> ParseSpans(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object) root = data;

        var spans = new List<TraceSpan>();
        if (!root.TryGetProperty("resourceSpans", out var resourceSpans) || resourceSpans.ValueKind != JsonValueKind.Array) return spans;
        foreach (var resource in resourceSpans.EnumerateArray())
        {
            var service = resource.TryGetProperty("resource", out var r) ? Attribute(r, "service.name") : null;
            if (!resource.TryGetProperty("scopeSpans", out var scopes)) continue;
            foreach (var scope in scopes.EnumerateArray())
            {
                if (!scope.TryGetProperty("spans", out var list)) continue;
                foreach (var span in list.EnumerateArray())
                {
                    spans.Add(new TraceSpan(
                        service ?? "unknown service",
                        Required(span, "traceId"),
                        Required(span, "spanId"),
                        span.TryGetProperty("parentSpanId", out var parent) && parent.GetString() is { Length: > 0 } p ? p : null,
                        span.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "",
                        span.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.Number ? (SpanKind)kind.GetInt32() : SpanKind.Unspecified,
                        UnixNano(span, "startTimeUnixNano"),
                        UnixNano(span, "endTimeUnixNano"),
                        StatementAttributes.Select(a => Attribute(span, a)).FirstOrDefault(s => s is not null)));
                }
            }
        }
        return spans;
    }

    private static string Required(JsonElement span, string property) =>
        span.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new JsonException($"A span has no '{property}'.");

    private static ulong UnixNano(JsonElement span, string property)
    {
        if (!span.TryGetProperty(property, out var value)) throw new JsonException($"A span has no '{property}'.");
        return value.ValueKind == JsonValueKind.Number
            ? value.GetUInt64()
            : ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new JsonException($"'{property}' is not a count of nanoseconds: {value}");
    }

    /// <summary>The string value of an attribute in an OTLP "attributes" list (key/value pairs, AnyValue values).</summary>
    private static string? Attribute(JsonElement owner, string key)
    {
        if (!owner.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Array) return null;
        foreach (var attribute in attributes.EnumerateArray())
        {
            if (attribute.TryGetProperty("key", out var k) && k.GetString() == key
                && attribute.TryGetProperty("value", out var value) && value.TryGetProperty("stringValue", out var text))
            {
                return text.GetString();
            }
        }
        return null;
    }
}
