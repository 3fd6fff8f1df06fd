using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Benchmarks.Infrastructure;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// GET /api/products/{id} cached (L1 hits after a warm-up) and uncached (each seeded id read exactly once across both
/// replicas, so every read misses L1 and Redis and loads from PostgreSQL), then search. Through the product-api proxy,
/// which spreads connections over the two replicas.
/// </summary>
public sealed class ProductsBenchmark : IBenchmarkScenario
{
    private const int Workers = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);
    private static readonly string[] SearchTerms = ["wireless", "coffee maker", "lego", "runn", "espresso", "stainless steel", "headphnes", "hiking backpack"];

    public string Name => "products";

    public string Description => "product by id (cached / uncached) and full-text search: req/s, p50, p99";

    public async Task RunAsync(ShopApp app, TextWriter output, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromSeconds(2) })
        {
            BaseAddress = app.GetEndpoint(ShopResources.ProductApi),
        };

        var ids = new List<Guid>();
        for (var page = 1; page <= 12; page++)
        {
            using var body = JsonDocument.Parse(await client.GetStringAsync($"/api/products?pageSize=100&page={page}&sort=newest", cancellationToken));
            ids.AddRange(body.RootElement.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        }
        var hot = ids.Take(100).ToArray();
        // The uncached path warms up (JIT, connection pools) on ids that are then left out of the measurement.
        await DrainAsync("warm-up", new ConcurrentQueue<Guid>(ids.Skip(100).Take(100)), id => client.GetAsync($"/api/products/{id}", cancellationToken));
        var cold = new ConcurrentQueue<Guid>(ids.Skip(200));
        output.WriteLine($"{ids.Count} product ids: {hot.Length} hot, {cold.Count} read once each for the uncached run; {Workers} workers");

        output.WriteLine(await DrainAsync($"GET /api/products/{{id}} uncached", cold, id => client.GetAsync($"/api/products/{id}", cancellationToken)));

        foreach (var id in hot) (await client.GetAsync($"/api/products/{id}", cancellationToken)).Dispose();
        var cached = await LoadRunner.ClosedLoopAsync("GET /api/products/{id} cached", Workers, Duration, async (worker, iteration, ct) =>
        {
            using var response = await client.GetAsync($"/api/products/{hot[(worker * 7 + iteration) % hot.Length]}", ct);
            return LoadRunner.Outcome(response);
        }, warmup: TimeSpan.FromSeconds(3));
        output.WriteLine(cached);

        var search = await LoadRunner.ClosedLoopAsync("GET /api/products/search?q=", Workers, Duration, async (worker, iteration, ct) =>
        {
            using var response = await client.GetAsync($"/api/products/search?q={Uri.EscapeDataString(SearchTerms[(worker + iteration) % SearchTerms.Length])}", ct);
            return LoadRunner.Outcome(response);
        }, warmup: TimeSpan.FromSeconds(3));
        output.WriteLine(search);

        var check = await client.GetFromJsonAsync<JsonElement>($"/api/products/search?q=wireless&pageSize=1", cancellationToken);
        output.WriteLine($"search check: 'wireless' matches {check.GetProperty("totalCount").GetInt32()} products");
    }

    /// <summary>Each item once, by <see cref="Workers"/> workers back to back: a closed loop that ends when the items do.</summary>
    private static async Task<LoadResult> DrainAsync(string name, ConcurrentQueue<Guid> items, Func<Guid, Task<HttpResponseMessage>> send)
    {
        var latencies = new ConcurrentBag<double>();
        var statuses = new ConcurrentDictionary<string, int>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (items.TryDequeue(out var item))
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await send(item);
                    var (ok, status) = LoadRunner.Outcome(response);
                    if (!ok) { Interlocked.Increment(ref errors); statuses.AddOrUpdate(status, 1, (_, n) => n + 1); }
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref errors);
                    statuses.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
                }
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new LoadResult(name, sorted.Length, errors, clock.Elapsed, sorted, statuses);
    }
}
