using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shop.Benchmarks.Mix;
using Shop.Benchmarks.Processes;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Benchmarks.Traces;

/// <summary>
/// The span breakdown of idle orders: the bench creates and pays orders one at a time through the gateway, each under
/// a W3C trace it chose (traceparent with the sampled flag, so every service records it whatever its sampling rate),
/// then reads the traces back from the dashboard until the notifier's consumes have arrived and the span counts have
/// settled. One order prints its tree; several print each span's median and 90th percentile (<see cref="SpanTree.MedianLines"/>):
/// one order's timings are one draw of a noisy machine.
/// </summary>
public static class OrderTrace
{
    /// <summary>Upper bound for the spans to arrive: services export in batches (Aspire sets a 1 s schedule in run mode).</summary>
    public static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Orders traced by default: enough for a median and a 90th percentile, few enough to stay idle.</summary>
    public const int DefaultOrders = 20;

    /// <summary>Pause between traced orders, so each meets an idle system as the sequential row's orders do.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Polls at least this long: Redis spans are made from StackExchange.Redis profiling sessions, which the Redis
    /// instrumentation (in Aspire.StackExchange.Redis) turns into spans only every 10 s (its FlushInterval), and the
    /// exporter sends them on its next batch (1 s).
    /// </summary>
    private static readonly TimeSpan RedisSpansDelay = TimeSpan.FromSeconds(13);

    /// <summary>Polls without a new span for this long after the notifier's span arrived: the trace is complete.</summary>
    private const int QuietPolls = 4;

    /// <param name="orders">How many orders to trace (at least 1).</param>
    /// <returns>Lines to print: a heading, the tree, and a note when it is incomplete; one line when it cannot be made.</returns>
    public static async Task<IReadOnlyList<string>> BreakdownAsync(Uri gateway, SystemScope scope, VirtualUser user, Catalog catalog,
        int orders, CancellationToken cancellationToken)
    {
        var (dashboard, reason) = DashboardTelemetry.Find(scope);
        if (dashboard is null) return [$"Span breakdown of idle orders: not available, {reason}."];
        using (dashboard)
        {
            // No Activity of this process may replace the chosen traceparent.
            using var handler = new SocketsHttpHandler { ActivityHeadersPropagator = null, UseCookies = false };
            using var http = new HttpClient(handler) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
            var traceIds = new List<string>();
            string? stopped = null;
            for (var i = 0; i < Math.Max(1, orders) && stopped is null; i++)
            {
                var traceId = ActivityTraceId.CreateRandom().ToHexString();
                stopped = await CreateAndPayAsync(http, user, catalog, traceId, cancellationToken);
                if (stopped is null) traceIds.Add(traceId);
                await Task.Delay(Pause, cancellationToken);
            }
            if (traceIds.Count == 0) return [$"Span breakdown of idle orders: not available, {stopped}."];

            IReadOnlyList<(IReadOnlyList<TraceSpan> Spans, bool Complete)> traces;
            try
            {
                traces = await WaitForSpansAsync(dashboard, traceIds, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                return [$"Span breakdown of idle orders: not available, {ex.Message}"];
            }
            var trees = traces.Select(t => new SpanTree(t.Spans)).ToList();
            var lines = new List<string>();
            if (trees.Count == 1)
            {
                lines.Add($"Span breakdown of one idle order (create, then pay; trace {traceIds[0]}, {trees[0].Count} spans from {dashboard.Address}):");
                lines.AddRange(trees[0].Lines().Select(l => "  " + l));
            }
            else
            {
                lines.Add($"Span breakdown of {trees.Count} idle orders (each created, then paid, one at a time; traces {traceIds[0]} … {traceIds[^1]} from {dashboard.Address}):");
                lines.AddRange(SpanTree.MedianLines(trees).Select(l => "  " + l));
            }
            var incomplete = traces.Count(t => !t.Complete);
            if (incomplete > 0) lines.Add($"  ({incomplete} of {trees.Count} incomplete: no notifier span, or spans still arriving, after {ArrivalTimeout.TotalSeconds:F0} s)");
            if (stopped is not null) lines.Add($"  (stopped after {traceIds.Count} of {orders} orders: {stopped})");
            return lines;
        }
    }

    /// <returns>Null when the order was created and paid under the trace; else why not.</returns>
    private static async Task<string?> CreateAndPayAsync(HttpClient http, VirtualUser user, Catalog catalog, string traceId, CancellationToken cancellationToken)
    {
        using var create = await MixOperations.CreateOrderRequestAsync(http, user, catalog, Random.Shared, cancellationToken);
        using var created = await SendTracedAsync(http, create, traceId, user, cancellationToken);
        if (created.StatusCode != HttpStatusCode.Created) return $"an order was not created ({(int)created.StatusCode})";
        var orderId = (await created.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["id"]?.ToString()
            ?? throw new InvalidOperationException("The created order has no id.");
        using var pay = await MixOperations.PayOrderRequestAsync(http, user, orderId, cancellationToken);
        using var paid = await SendTracedAsync(http, pay, traceId, user, cancellationToken);
        return paid.StatusCode == HttpStatusCode.OK ? null : $"an order was not paid ({(int)paid.StatusCode})";
    }

    private static async Task<HttpResponseMessage> SendTracedAsync(HttpClient http, HttpRequestMessage request, string traceId, VirtualUser user,
        CancellationToken cancellationToken)
    {
        request.Headers.Remove("traceparent");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return await MixOperations.SendAsync(http, request, user, cancellationToken);
    }

    /// <summary>
    /// Polls every trace each round until each has its notifier span and no new span for a while, and the Redis spans
    /// have had time to arrive, or time is up.
    /// </summary>
    private static async Task<IReadOnlyList<(IReadOnlyList<TraceSpan> Spans, bool Complete)>> WaitForSpansAsync(DashboardTelemetry dashboard,
        IReadOnlyList<string> traceIds, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var spans = traceIds.Select(_ => (IReadOnlyList<TraceSpan>)[]).ToArray();
        var quiet = new int[traceIds.Count];
        bool Complete(int i) => quiet[i] >= QuietPolls && spans[i].Any(s => s.Service == ShopResources.Notifier);
        while (deadline.Elapsed < ArrivalTimeout && (deadline.Elapsed < RedisSpansDelay || !Enumerable.Range(0, traceIds.Count).All(Complete)))
        {
            await Task.Delay(PollInterval, cancellationToken);
            for (var i = 0; i < traceIds.Count; i++)
            {
                if (Complete(i) && deadline.Elapsed < RedisSpansDelay - QuietPolls * PollInterval) continue;
                var now = await dashboard.GetTraceAsync(traceIds[i], cancellationToken);
                quiet[i] = now.Count == spans[i].Count ? quiet[i] + 1 : 0;
                spans[i] = now;
            }
        }
        return [.. Enumerable.Range(0, traceIds.Count).Select(i => (spans[i], Complete(i)))];
    }
}
