using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shop.Benchmarks.Infrastructure;

namespace Shop.Benchmarks.Mix;

/// <summary>A shopper with an account and a session that keeps its token valid, remembering orders it has not paid yet.</summary>
public sealed class VirtualUser
{
    private readonly ConcurrentQueue<string> _unpaidOrders = new();

    public required string Email { get; init; }
    public required string Name { get; init; }
    public required ShopSession Session { get; init; }

    /// <summary>The storefront variant's anonymous cart (see <see cref="StorefrontPages"/>), null until made.</summary>
    public string? CartId { get; set; }

    public void AddUnpaidOrder(string orderId) => _unpaidOrders.Enqueue(orderId);

    public bool TryTakeUnpaidOrder(out string orderId) => _unpaidOrders.TryDequeue(out orderId!);

    public static async Task<VirtualUser> RegisterAsync(HttpClient http, string runId, int index, CancellationToken cancellationToken)
    {
        var email = $"load-{runId}-{index}@bench.shop.local";
        var password = $"Bench-{runId}-pw";
        var name = $"Load Shopper {index}";
        var session = await ShopAccounts.RegisterSessionAsync(http, email, password, name, cancellationToken);
        return new VirtualUser { Email = email, Name = name, Session = session };
    }
}

/// <summary>Product ids learned from the catalog before the run; orders go to products well in stock.</summary>
public sealed class Catalog(IReadOnlyList<string> productIds, IReadOnlyList<string> orderableIds)
{
    /// <summary>Below this stock a product is not ordered: shoppers do not order what the page shows as sold out.</summary>
    private const int OrderableStock = 100;

    public IReadOnlyList<string> ProductIds { get; } = productIds;

    public IReadOnlyList<string> OrderableIds { get; } = orderableIds;

    public string RandomProduct(Random random) => ProductIds[random.Next(ProductIds.Count)];

    public string RandomOrderableProduct(Random random) => OrderableIds[random.Next(OrderableIds.Count)];

    /// <summary>
    /// Lists the catalog, then reads the stock of a sample of it (at most 25 reads per virtual user, each with a
    /// user's token, so the reads stay within the gateway's per-user limits when those are not raised).
    /// </summary>
    public static async Task<Catalog> LoadAsync(HttpClient http, IReadOnlyList<VirtualUser> users, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        for (var page = 1; page <= 10; page++)
        {
            var path = $"/api/products?page={page}&pageSize=100";
            using var response = await SetupReadAsync(() => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path)),
                request => http.SendAsync(request, cancellationToken), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // The answer's ProblemDetails names the refused field: without it a failed run says only "400".
                throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}",
                    null, response.StatusCode);
            }
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            var items = body?["items"]?.AsArray() ?? [];
            ids.AddRange(items.Select(item => item?["id"]?.ToString()).OfType<string>());
            if (items.Count < 100) break;
        }
        if (ids.Count == 0) throw new InvalidOperationException("The catalog is empty: nothing to browse.");

        var sample = ids.Take(Math.Min(ids.Count, 25 * users.Count)).Select((id, i) => (id, user: users[i % users.Count]));
        var orderable = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            using var response = await SetupReadAsync(
                () => MixOperations.AuthorizedAsync(HttpMethod.Get, $"/api/products/{item.id}", item.user, http, ct),
                request => MixOperations.SendAsync(http, request, item.user, ct), ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"GET /api/products/{item.id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}",
                    null, response.StatusCode);
            }
            var product = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
            if (product?["stock"]?.GetValue<int>() >= OrderableStock) orderable.Add(item.id);
        });
        return orderable.IsEmpty
            ? throw new InvalidOperationException($"No product has {OrderableStock} or more in stock: nothing to order.")
            : new Catalog(ids, [.. orderable]);
    }

    /// <summary>
    /// A read of the setup, before anything is measured: a cold system on a loaded machine can exceed the gateway's
    /// route timeout on its first reads, so a refused one is tried again (three tries, 2 s apart) instead of ending the run.
    /// </summary>
    private static async Task<HttpResponseMessage> SetupReadAsync(Func<Task<HttpRequestMessage>> createRequest,
        Func<HttpRequestMessage, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = await createRequest();
            var response = await send(request);
            if (response.IsSuccessStatusCode || attempt == 3) return response;
            response.Dispose();
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }
}
