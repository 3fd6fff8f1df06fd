using Shop.Benchmarks.Traces;

namespace Shop.Tests.Bench;

/// <summary>OTLP JSON as Aspire's dashboard telemetry API answers it → the span tree the bench prints.</summary>
public sealed class SpanTreeTests
{
    // Two resources; times as strings (gateway) and as numbers (order-api), both allowed by OTLP JSON; a span whose
    // parent was never exported (the bench's own client span) is a root; order-api's SQL span carries its statement.
    private const string TraceJson = """
        {
          "data": {
            "resourceSpans": [
              {
                "resource": { "attributes": [
                  { "key": "service.name", "value": { "stringValue": "gateway" } },
                  { "key": "service.instance.id", "value": { "stringValue": "gateway-x1" } } ] },
                "scopeSpans": [ { "scope": { "name": "Microsoft.AspNetCore" }, "spans": [
                  { "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "a000000000000001", "parentSpanId": "b7ad6b7169203331",
                    "name": "POST /api/orders", "kind": 2, "startTimeUnixNano": "1700000000000000000", "endTimeUnixNano": "1700000000012500000" },
                  { "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "a000000000000002", "parentSpanId": "a000000000000001",
                    "name": "POST", "kind": 3, "startTimeUnixNano": "1700000000001000000", "endTimeUnixNano": "1700000000011000000" }
                ] } ]
              },
              {
                "resource": { "attributes": [ { "key": "service.name", "value": { "stringValue": "order-api" } } ] },
                "scopeSpans": [ { "scope": { "name": "Npgsql" }, "spans": [
                  { "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "c000000000000002", "parentSpanId": "c000000000000001",
                    "name": "ordersdb", "kind": 3, "startTimeUnixNano": 1700000000004000000, "endTimeUnixNano": 1700000000006250000,
                    "attributes": [ { "key": "db.query.text", "value": { "stringValue": "INSERT INTO orders\n  (id, user_id)\n  VALUES ($1, $2)" } } ] },
                  { "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "c000000000000001", "parentSpanId": "a000000000000002",
                    "name": "POST /api/orders", "kind": 2, "startTimeUnixNano": 1700000000002000000, "endTimeUnixNano": 1700000000010000000 }
                ] } ]
              }
            ]
          },
          "totalCount": 4,
          "returnedCount": 4
        }
        """;

    [Fact]
    public void Spans_are_read_with_their_service_kind_times_and_SQL_text()
    {
        var spans = OtlpJson.ParseSpans(TraceJson);

        Assert.Equal(4, spans.Count);
        var sql = spans.Single(s => s.SpanId == "c000000000000002");
        Assert.Equal("order-api", sql.Service);
        Assert.Equal(SpanKind.Client, sql.Kind);
        Assert.Equal(2.25, sql.DurationMs, 6);
        Assert.StartsWith("INSERT INTO orders", sql.Detail);
        var gateway = spans.Single(s => s.SpanId == "a000000000000001");
        Assert.Equal("gateway", gateway.Service);
        Assert.Equal(SpanKind.Server, gateway.Kind);
        Assert.Equal(12.5, gateway.DurationMs, 6);
    }

    [Fact]
    public void The_tree_nests_spans_under_their_parents_across_services_and_prints_offsets_and_durations()
    {
        var tree = new SpanTree(OtlpJson.ParseSpans(TraceJson));

        var root = Assert.Single(tree.Roots);
        Assert.Equal("a000000000000001", root.Span.SpanId);
        var client = Assert.Single(root.Children);
        var handler = Assert.Single(client.Children);
        Assert.Equal("order-api", handler.Span.Service);
        Assert.Equal("c000000000000002", Assert.Single(handler.Children).Span.SpanId);
        Assert.Equal(4.0, tree.OffsetMs(handler.Children[0].Span), 6);

        var lines = tree.Lines();
        Assert.Equal(5, lines.Count); // heading + 4 spans
        Assert.Matches(@"^\s+0\.0\s+12\.5  gateway: POST /api/orders$", lines[1]);
        Assert.Matches(@"^\s+1\.0\s+10\.0    gateway: POST$", lines[2]);
        Assert.Matches(@"^\s+2\.0\s+8\.0      order-api: POST /api/orders$", lines[3]);
        Assert.Matches(@"^\s+4\.0\s+2\.2\d?\s+order-api: ordersdb — INSERT INTO orders \(id, user_id\) VALUES \(\$1, \$2\)$", lines[4]);
    }

    [Fact]
    public void A_span_listed_twice_counts_once_and_siblings_are_in_start_order()
    {
        var spans = OtlpJson.ParseSpans(TraceJson);
        var late = spans.Single(s => s.SpanId == "c000000000000002") with { SpanId = "c000000000000003", StartUnixNano = 1700000000003000000 };

        var tree = new SpanTree([.. spans, spans[0], late]);

        Assert.Equal(5, tree.Count);
        var handler = tree.Roots[0].Children[0].Children[0];
        Assert.Equal(["c000000000000003", "c000000000000002"], handler.Children.Select(c => c.Span.SpanId));
    }

    [Fact]
    public void Several_traces_print_each_spans_median_start_median_duration_and_90th_percentile()
    {
        // Four traces of the same flow: the SQL span lasts 1, 9 and 2 ms and starts 4, 6 and 5 ms in; the fourth trace
        // lacks it. Spans match by their path, not their ids, which differ between traces.
        SpanTree Trace(int n, double sqlStartMs, double sqlMs, bool withSql = true)
        {
            var spans = OtlpJson.ParseSpans(TraceJson).Select(s => s with { SpanId = $"{s.SpanId}-{n}", ParentSpanId = s.ParentSpanId is { } p ? $"{p}-{n}" : null });
            return new SpanTree(spans.Where(s => withSql || !s.SpanId.StartsWith("c000000000000002"))
                .Select(s => s.SpanId.StartsWith("c000000000000002")
                    ? s with { StartUnixNano = 1700000000000000000 + (ulong)(sqlStartMs * 1e6), EndUnixNano = 1700000000000000000 + (ulong)((sqlStartMs + sqlMs) * 1e6) }
                    : s));
        }

        var lines = SpanTree.MedianLines([Trace(1, 4, 1), Trace(2, 6, 9), Trace(3, 5, 2), Trace(4, 0, 0, withSql: false)]);

        Assert.Equal(5, lines.Count);
        Assert.Contains("medians over 4 traces", lines[0]);
        Assert.Matches(@"^\s+0\.0\s+12\.5\s+12\.5  gateway: POST /api/orders$", lines[1]);
        Assert.Matches(@"^\s+5\.0\s+2\.0\s+9\.0\s+order-api: ordersdb — INSERT INTO orders \(id, user_id\) VALUES \(\$1, \$2\) \(3 of 4\)$", lines[4]);
    }

    [Fact]
    public void Statements_are_matched_by_their_SQL_and_a_span_of_any_trace_is_printed()
    {
        var spans = OtlpJson.ParseSpans(TraceJson);
        var select = spans.Select(s => s.SpanId == "c000000000000002" ? s with { Detail = "SELECT 1" } : s);

        var lines = SpanTree.MedianLines([new SpanTree(spans), new SpanTree(select)]);

        Assert.Equal(6, lines.Count); // heading + 3 shared spans + one line per statement
        Assert.Single(lines, l => l.Contains("INSERT INTO orders") && l.EndsWith("(1 of 2)"));
        Assert.Single(lines, l => l.Contains("— SELECT 1 (1 of 2)"));
    }

    [Fact]
    public void A_bare_OTLP_document_parses_and_a_span_without_times_is_refused()
    {
        Assert.Empty(OtlpJson.ParseSpans("""{ "resourceSpans": [] }"""));
        Assert.Throws<System.Text.Json.JsonException>(() => OtlpJson.ParseSpans(
            """{ "resourceSpans": [ { "scopeSpans": [ { "spans": [ { "traceId": "t", "spanId": "s", "name": "x" } ] } ] } ] }"""));
    }

    [Fact]
    public void The_dashboards_environment_is_read_from_NUL_separated_pairs()
    {
        var environment = DashboardTelemetry.ParseEnvironment("ASPNETCORE_URLS=http://localhost:15080\0DASHBOARD__API__PRIMARYAPIKEY=k=1\0EMPTY=\0");

        Assert.Equal("http://localhost:15080", environment["ASPNETCORE_URLS"]);
        Assert.Equal("k=1", environment["DASHBOARD__API__PRIMARYAPIKEY"]);
        Assert.Equal("", environment["EMPTY"]);
    }
}
