using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Benchmarks.Infrastructure;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// GET /api/products/{id} through the gateway and directly against product-api, in one run, with their ratio.
/// Anonymous reads through the gateway may be answered by its edge cache (1 s TTL); authenticated ones always go
/// through to product-api (the plain proxy hop). The limiter's own cost per request comes from the gateway's
/// Server-Timing "ratelimit" figure.
/// </summary>
public sealed class GatewayBenchmark : IBenchmarkScenario
{
    private const int Workers = 32;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);

    public string Name => "gateway";

    public string Description => "GET /api/products/{id}: through the gateway vs direct to product-api, ratio, limiter cost";

    public async Task RunAsync(ShopApp app, TextWriter output, CancellationToken cancellationToken)
    {
        using var direct = CreateClient(app.GetEndpoint(ShopResources.ProductApi));
        using var gateway = CreateClient(app.GetEndpoint(ShopResources.Gateway));

        var ids = await ProductIdsAsync(direct, cancellationToken);
        if (ids.Count == 0)
        {
            output.WriteLine("No products found (is the catalog seeded?); skipped.");
            return;
        }
        var token = await CustomerTokenAsync(gateway, cancellationToken);
        output.WriteLine($"{ids.Count} product ids, {Workers} workers, {Duration.TotalSeconds:F0} s each (after {Warmup.TotalSeconds:F0} s warm-up).");

        using (var probe = await gateway.GetAsync($"/api/products/{ids[0]}", cancellationToken))
        {
            output.WriteLine($"Effective gateway limit per caller: RateLimit-Limit {Header(probe, "RateLimit-Limit") ?? "(none: limiter disabled)"} (raised for this run)");
        }

        var limiterCosts = new ConcurrentBag<double>();
        LoadRunner.Operation Read(HttpClient client, string? bearer, bool sampleCost) => async (worker, iteration, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{ids[(worker * 7919 + iteration) % ids.Count]}");
            if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
            using var response = await client.SendAsync(request, ct);
            if (sampleCost && iteration % 16 == 0 && LimiterCost(response) is { } cost) limiterCosts.Add(cost);
            return LoadRunner.Outcome(response);
        };

        var directResult = await LoadRunner.ClosedLoopAsync("direct product-api", Workers, Duration, Read(direct, null, false), Warmup);
        output.WriteLine(directResult);
        var edgeResult = await LoadRunner.ClosedLoopAsync("gateway (anonymous, edge cache)", Workers, Duration, Read(gateway, null, true), Warmup);
        output.WriteLine(edgeResult);
        output.WriteLine($"Ratio gateway/direct req/s (public read, edge cache): {edgeResult.RequestsPerSecond / directResult.RequestsPerSecond:F2} (target >= 0.5); " +
                         $"p50 {edgeResult.Percentile(50):F2} vs {directResult.Percentile(50):F2} ms, p99 {edgeResult.Percentile(99):F2} vs {directResult.Percentile(99):F2} ms");
        if (token is null)
        {
            output.WriteLine("Could not log in through the gateway: the authenticated (uncached) run is skipped.");
        }
        else
        {
            var proxyResult = await LoadRunner.ClosedLoopAsync("gateway (authenticated, proxied)", Workers, Duration, Read(gateway, token, true), Warmup);
            output.WriteLine(proxyResult);
            output.WriteLine($"Ratio gateway/direct req/s (plain proxy hop, no edge cache): {proxyResult.RequestsPerSecond / directResult.RequestsPerSecond:F2}");
        }
        var costs = limiterCosts.Order().ToArray();
        if (costs.Length > 0)
        {
            output.WriteLine($"Rate limiter cost per request (gateway Server-Timing, {costs.Length} samples): " +
                             $"mean {costs.Average():F3} ms, p50 {Percentiles.NearestRank(costs, 50):F3} ms, p99 {Percentiles.NearestRank(costs, 99):F3} ms");
        }
    }

    private static HttpClient CreateClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = Workers,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<List<string>> ProductIdsAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync("/api/products?page=1&pageSize=100", cancellationToken);
        if (!response.IsSuccessStatusCode) return [];
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return page.RootElement.GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("id").ToString()).ToList();
    }

    /// <summary>Registers and logs in a customer through the gateway, for the uncached (authenticated) path.</summary>
    private static async Task<string?> CustomerTokenAsync(HttpClient gateway, CancellationToken cancellationToken)
    {
        var email = $"bench-{Guid.NewGuid():N}@bench.shop.local";
        const string password = "Bench-password-1";
        try
        {
            return await ShopAccounts.RegisterAndLoginAsync(gateway, email, password, "Bench", cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static double? LimiterCost(HttpResponseMessage response)
    {
        var timing = Header(response, "Server-Timing");
        var marker = timing?.IndexOf("dur=", StringComparison.Ordinal) ?? -1;
        return marker >= 0 && double.TryParse(timing![(marker + 4)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : null;
    }
}
