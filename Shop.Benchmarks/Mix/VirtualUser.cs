using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Shop.Benchmarks.Mix;

/// <summary>A shopper with an account, logged in once, remembering orders it has not paid yet.</summary>
public sealed class VirtualUser
{
    private readonly ConcurrentQueue<string> _unpaidOrders = new();

    public required string Email { get; init; }
    public required string Name { get; init; }
    public required string AccessToken { get; init; }

    public void AddUnpaidOrder(string orderId) => _unpaidOrders.Enqueue(orderId);

    public bool TryTakeUnpaidOrder(out string orderId) => _unpaidOrders.TryDequeue(out orderId!);

    public static async Task<VirtualUser> RegisterAsync(HttpClient http, string runId, int index, CancellationToken cancellationToken)
    {
        var email = $"load-{runId}-{index}@bench.shop.local";
        var password = $"Bench-{runId}-pw";
        var name = $"Load Shopper {index}";
        using (var register = await http.PostAsJsonAsync("/api/users/register", new { email, password, name }, cancellationToken))
        {
            if (!register.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Registering {email} failed: {(int)register.StatusCode} {await register.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
        using var login = await http.PostAsJsonAsync("/api/users/login", new { email, password }, cancellationToken);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["accessToken"]?.ToString()
            ?? throw new InvalidOperationException("The login answer has no accessToken.");
        return new VirtualUser { Email = email, Name = name, AccessToken = token };
    }
}

/// <summary>Product ids learned from the catalog before the run.</summary>
public sealed class Catalog(IReadOnlyList<string> productIds)
{
    public IReadOnlyList<string> ProductIds { get; } = productIds;

    public string RandomProduct(Random random) => ProductIds[random.Next(ProductIds.Count)];

    public static async Task<Catalog> LoadAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        for (var page = 1; page <= 10; page++)
        {
            var body = await http.GetFromJsonAsync<JsonObject>($"/api/products?page={page}&pageSize=100", cancellationToken);
            var items = body?["items"]?.AsArray() ?? [];
            ids.AddRange(items.Select(item => item?["id"]?.ToString()).OfType<string>());
            if (items.Count < 100) break;
        }
        return ids.Count > 0 ? new Catalog(ids) : throw new InvalidOperationException("The catalog is empty: nothing to browse.");
    }
}
