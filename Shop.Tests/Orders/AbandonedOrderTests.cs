using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.ProductApi.Grpc.V1;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;
using Shop.Tests.Infrastructure;
using Shop.Tests.Products;

namespace Shop.Tests.Orders;

/// <summary>Whatever process dies at whatever moment, stock converges to what stored orders hold.</summary>
[Collection(ShopCollection.Name)]
public sealed class AbandonedOrderTests(ShopAppFixture fixture) : SystemDisruptingTests(fixture), IDisposable
{
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(90);
    private readonly OrdersTestClient _client = new(fixture);

    [Fact]
    public async Task Stock_reserved_under_a_claim_whose_lease_ended_without_an_order_is_released_and_the_key_freed()
    {
        var customer = await _client.CustomerTokenAsync();
        var userId = await UserIdAsync(customer);
        var product = await _client.CreateProductAsync(stock: 10);
        var orderId = Guid.NewGuid();
        var key = Guid.NewGuid().ToString();
        // What a request killed between ReserveStock and storing its order leaves: its reservation and its claim.
        using (var channel = ProductApiTestContext.GrpcChannelFor(Fixture))
        {
            await new ProductService.ProductServiceClient(channel).ReserveStockAsync(
                new ReserveStockRequest { OrderId = orderId.ToString(), Items = { ProductApiTestContext.Item(product.Id, 4) } });
        }
        await _client.ScalarAsync(ShopResources.OrdersDb, """
            INSERT INTO idempotency_claims ("UserId", "Key", "RequestHash", "OrderId", "ClaimedAt", "LeaseExpiresAt")
            VALUES (@user, @key, 'hash-of-the-dead-request', @order, now() - interval '1 minute', now() - interval '1 second') RETURNING 1
            """, ("user", userId), ("key", key), ("order", orderId));
        await Eventually.ReturnsAsync(() => _client.GetStockAsync(product.Id), stock => stock == 10, ConvergeTimeout, "the sweeper releases the stock");
        await Eventually.ReturnsAsync(
            () => _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM idempotency_claims WHERE "OrderId" = @order""", ("order", orderId)),
            n => n == 0, ConvergeTimeout, "the released claim is deleted");
        Assert.Equal(0, await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM orders WHERE "Id" = @order""", ("order", orderId)));

        // The key starts afresh: a retry with it places a new order.
        using var retry = await _client.PostOrderAsync(customer, OrdersTestClient.OrderBody((product.Id, 4)), key);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.NotEqual(orderId, (await retry.Content.ReadFromJsonAsync<OrderDto>())!.Id);
        Assert.Equal(6, await _client.GetStockAsync(product.Id));
    }

    [Fact]
    public async Task A_key_still_in_progress_answers_409_with_Retry_After()
    {
        // The request waits for its twin's order one second before it answers, not 15 as shipped.
        await using var shortWait = await Fixture.OverrideSettingsAsync(("Orders:Recovery:WaitForFirst", "00:00:01"));
        var customer = await _client.CustomerTokenAsync();
        var userId = await UserIdAsync(customer);
        var product = await _client.CreateProductAsync(stock: 10);
        var key = Guid.NewGuid().ToString();
        var body = OrdersTestClient.OrderBody((product.Id, 1));
        // Another request holds the key (same body) and has not finished.
        var hash = JsonSerializer.Deserialize<Shop.OrderApi.Apis.CreateOrderRequest>(JsonSerializer.Serialize(body), JsonSerializerOptions.Web)!
            .Fingerprint();
        await _client.ScalarAsync(ShopResources.OrdersDb, """
            INSERT INTO idempotency_claims ("UserId", "Key", "RequestHash", "OrderId", "ClaimedAt", "LeaseExpiresAt")
            VALUES (@user, @key, @hash, @order, now(), now() + interval '10 minutes') RETURNING 1
            """, ("user", userId), ("key", key), ("hash", hash), ("order", Guid.NewGuid()));

        using var response = await _client.PostOrderAsync(customer, body, key);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        await OrdersTestClient.ReadProblemAsync(response);
    }

    [Fact]
    public async Task Killing_an_order_api_and_a_product_api_replica_under_concurrent_orders_leaks_no_stock_and_every_key_resolves()
    {
        // Enough stock that no order is refused for it: 12 clients for 12 s placed over 5,000 units of a product once
        // the system got faster, and the out-of-stock 409 failed the run.
        const int Stock = 1_000_000;
        var products = new[] { await _client.CreateProductAsync(stock: Stock), await _client.CreateProductAsync(stock: Stock), await _client.CreateProductAsync(stock: Stock) };
        var customers = new List<string>();
        for (var i = 0; i < 12; i++) customers.Add(await _client.CustomerTokenAsync());
        var orderApi = (await ReplicasAsync(ShopResources.OrderApi))[0];
        var productApi = (await ReplicasAsync(ShopResources.ProductApi))[0];
        // The killed requests' claims lapse after 5 s instead of 30 (the sweeper then releases their stock), so the
        // stock converges within seconds of the run, not half a minute after it. A retry finding a killed request's
        // claim waits 2 s for its order, within that lease, so it is answered "being processed" and its key given up
        // on. Whether the kill catches a request between its claim and its order is down to timing, so the test does
        // not require one; the two tests above cover a lapsed claim and a key in progress without a kill.
        await using var shortLeases = await Fixture.OverrideSettingsAsync(
            ("Orders:Recovery:ClaimLease", "00:00:05"), ("Orders:Recovery:WaitForFirst", "00:00:02"));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(12));
        var abandoned = new System.Collections.Concurrent.ConcurrentBag<(string Customer, string Key, object Body)>();
        var clients = customers.Select((customer, i) => OrderUntilStoppedAsync(customer, products.Select(p => p.Id).ToArray(), i, abandoned, stop.Token)).ToList();
        List<(Guid OrderId, string Key)> acknowledged;
        try
        {
            // SIGKILL: nothing of a killed process's in-flight work is finished by it.
            await Task.Delay(TimeSpan.FromSeconds(4));
            Process.GetProcessById(orderApi.Pid).Kill();
            await Task.Delay(TimeSpan.FromSeconds(4));
            Process.GetProcessById(productApi.Pid).Kill();
            acknowledged = [.. (await Task.WhenAll(clients)).SelectMany(c => c)];
        }
        finally
        {
            var commands = Fixture.App.Services.GetRequiredService<ResourceCommandService>();
            // product-api first: order-api waits for it to be healthy before it starts.
            foreach (var replica in new[] { productApi, orderApi })
            {
                await Eventually.ReturnsAsync(async () => (await commands.ExecuteCommandAsync(replica.ResourceId, "resource-start")).Success,
                    started => started, ConvergeTimeout, $"the killed replica {replica.ResourceId} starts again");
            }
        }

        Assert.True(acknowledged.Count > 12, $"orders kept being placed: {acknowledged.Count}");
        Assert.Equal(acknowledged.Count, acknowledged.Select(a => a.OrderId).Distinct().Count());
        var ids = acknowledged.Select(a => a.OrderId).ToArray();
        Assert.Equal(ids.Length, await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM orders WHERE "Id" = ANY(@ids)""", ("ids", ids)));
        // Without any client's help: the keys given up on are not retried before the stock has converged.
        foreach (var product in products)
        {
            await Eventually.ReturnsAsync(async () => (Stock: await _client.GetStockAsync(product.Id), Held: await HeldByOrdersAsync(product.Id)),
                s => s.Stock == Stock - s.Held, ConvergeTimeout, $"the stock of {product.Id} is what the stored orders hold");
        }

        // A key given up on while "still being processed" is usable again: a retry with it ends in an order.
        using var http = Fixture.CreateHttpClient(ShopResources.OrderApi);
        foreach (var (customer, key, body) in abandoned)
        {
            await Eventually.ReturnsAsync(async () =>
            {
                using var response = await PostAsync(http, customer, key, body);
                return response.StatusCode;
            }, status => status == HttpStatusCode.Created, ConvergeTimeout, $"the abandoned key {key} resolves");
        }
    }

    /// <summary>
    /// A client placing orders one after another until stopped, each with its own Idempotency-Key, retried with it on
    /// a 5xx or a lost connection; like an impatient client, it gives up on a key answered 409 "still being
    /// processed" (which must carry Retry-After), leaving keys the service has to resolve alone. Returns the
    /// acknowledged orders.
    /// </summary>
    private async Task<List<(Guid OrderId, string Key)>> OrderUntilStoppedAsync(string customer, Guid[] products, int seed,
        System.Collections.Concurrent.ConcurrentBag<(string Customer, string Key, object Body)> abandoned, CancellationToken stop)
    {
        var created = new List<(Guid, string)>();
        var random = new Random(seed);
        using var http = Fixture.CreateHttpClient(ShopResources.OrderApi);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = Guid.NewGuid().ToString();
            var first = random.Next(products.Length);
            var body = OrdersTestClient.OrderBody((products[first], 1 + random.Next(3)), (products[(first + 1 + n % 2) % products.Length], 1));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (true)
            {
                Assert.True(DateTime.UtcNow < deadline, $"key {key} did not resolve");
                try
                {
                    using var response = await PostAsync(http, customer, key, body);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        created.Add(((await response.Content.ReadFromJsonAsync<OrderDto>())!.Id, key));
                        break;
                    }
                    var problem = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.Conflict && problem.Contains("still being processed"))
                    {
                        Assert.NotNull(response.Headers.RetryAfter?.Delta);
                        abandoned.Add((customer, key, body));
                        break;
                    }
                    Assert.True((int)response.StatusCode >= 500, $"unexpected {(int)response.StatusCode}: {problem}");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                }
                await Task.Delay(TimeSpan.FromMilliseconds(300));
            }
        }
        return created;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string customer, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", customer);
        request.Headers.Add(ShopHeaders.IdempotencyKey, key);
        return http.SendAsync(request);
    }

    /// <summary>Units of the product in stored orders that are not cancelled (a cancelled order's are released).</summary>
    private Task<long> HeldByOrdersAsync(Guid productId) => _client.ScalarAsync(ShopResources.OrdersDb, """
        SELECT coalesce(sum(i."Quantity"), 0) FROM order_items i JOIN orders o ON o."Id" = i."OrderId"
        WHERE i."ProductId" = @p AND NOT (o."Status" = 'Cancelled' AND o."StockReleasedAt" IS NOT NULL)
        """, ("p", productId));

    private sealed record Replica(string ResourceId, int Pid);

    private async Task<List<Replica>> ReplicasAsync(string resource)
    {
        var replicas = new Dictionary<string, int>();
        using var window = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var update in Fixture.App.ResourceNotifications.WatchAsync(window.Token))
        {
            if (update.Resource.Name != resource || update.Snapshot.State?.Text != KnownResourceStates.Running) continue;
            var pid = update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
            if (pid is not null && int.TryParse(pid.ToString(), out var value) && ProcessTable.IsAlive(value)) replicas[update.ResourceId] = value;
            if (replicas.Count == 2) break;
        }
        Assert.Equal(2, replicas.Count);
        return [.. replicas.Select(r => new Replica(r.Key, r.Value))];
    }

    private static Task<Guid> UserIdAsync(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        return Task.FromResult(Guid.Parse(json.RootElement.GetProperty("sub").GetString()!));
    }

    public void Dispose() => _client.Dispose();
}
