using System.Diagnostics;
using Shop.ProductApi.Grpc.V1;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Products.ProductApiTestContext;

namespace Shop.Tests.Products;

[Collection(ShopCollection.Name)]
public sealed class ProductCacheTests(ShopAppFixture fixture) : SystemDisruptingTests(fixture)
{
    [Fact]
    public async Task An_update_through_one_replica_is_seen_through_the_other_within_a_second()
    {
        var replicas = await GetReplicasAsync(Fixture);
        using var a = await AdminClientAsync(Fixture, replicas[0].CreateHttpClient());
        using var b = replicas[1].CreateHttpClient();
        var product = await CreateProductAsync(a);
        // Both replicas now hold it in their L1.
        Assert.Equal(product.Name, (await b.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"))!.Name);
        Assert.Equal(product.Name, (await a.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"))!.Name);

        using var update = await a.PutAsJsonAsync($"/api/products/{product.Id}",
            new { product.Sku, name = "Renamed through A", product.Description, product.Category, product.Brand, price = 99m, product.Currency });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var clock = Stopwatch.StartNew();

        await Eventually.ReturnsAsync(() => b.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"),
            p => p!.Name == "Renamed through A" && p.Price == 99m, TimeSpan.FromSeconds(5), "replica B serves the update");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"seen through B after {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_reservation_through_one_replica_reaches_both_replicas_cached_stock_within_two_seconds()
    {
        var replicas = await GetReplicasAsync(Fixture);
        using var admin = await AdminClientAsync(Fixture);
        var product = await CreateProductAsync(admin, stock: 10);
        using var a = replicas[0].CreateHttpClient();
        using var b = replicas[1].CreateHttpClient();
        // Both replicas now hold it in their L1.
        Assert.Equal(10, (await a.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"))!.Stock);
        Assert.Equal(10, (await b.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"))!.Stock);

        using var channel = replicas[0].CreateChannel();
        await new ProductService.ProductServiceClient(channel).ReserveStockAsync(
            new ReserveStockRequest { OrderId = Guid.NewGuid().ToString(), Items = { new StockItem { ProductId = product.Id.ToString(), Quantity = 3 } } });
        var clock = Stopwatch.StartNew();

        // The reservation's answer does not wait for the invalidation, so each replica is given until it lands.
        foreach (var (replica, name) in new[] { (a, "A"), (b, "B") })
        {
            await Eventually.ReturnsAsync(() => replica.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"),
                p => p!.Stock == 7, TimeSpan.FromSeconds(5), $"replica {name} serves the reserved stock");
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"seen through both after {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Concurrent_reservations_of_many_products_reach_both_replicas_cached_stock()
    {
        // Each reservation's invalidation is queued for product-api's batch sender: none may be left unsent.
        var replicas = await GetReplicasAsync(Fixture);
        using var admin = await AdminClientAsync(Fixture);
        var products = new List<ProductDto>();
        for (var i = 0; i < 12; i++) products.Add(await CreateProductAsync(admin, stock: 20));
        using var a = replicas[0].CreateHttpClient();
        using var b = replicas[1].CreateHttpClient();
        foreach (var product in products)
        {
            Assert.Equal(20, (await a.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"))!.Stock);
            Assert.Equal(20, (await b.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"))!.Stock);
        }

        using var channel = replicas[0].CreateChannel();
        var client = new ProductService.ProductServiceClient(channel);
        await Task.WhenAll(products.Select((product, i) => client.ReserveStockAsync(new ReserveStockRequest
        {
            OrderId = Guid.NewGuid().ToString(),
            Items = { new StockItem { ProductId = product.Id.ToString(), Quantity = i + 1 } },
        }).ResponseAsync));

        foreach (var (replica, name) in new[] { (a, "A"), (b, "B") })
        {
            foreach (var (product, i) in products.Select((product, i) => (product, i)))
            {
                await Eventually.ReturnsAsync(() => replica.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"),
                    p => p!.Stock == 20 - (i + 1), TimeSpan.FromSeconds(5), $"replica {name} serves product {i}'s reserved stock");
            }
        }
    }

    [Fact]
    public async Task Concurrent_misses_on_one_key_load_the_database_once()
    {
        var replica = (await GetReplicasAsync(Fixture))[0];
        using var admin = await AdminClientAsync(Fixture);
        var template = await CreateProductAsync(admin);
        // A copy written behind the service's back: no invalidation of its key is under way (an API write's is applied
        // again a second later and echoed over Redis, and one landing among the reads would make a second load).
        var productId = await CopyProductInDatabaseAsync(Fixture, template.Id);
        using var client = replica.CreateHttpClient();
        var before = await GetCacheStatisticsAsync(Fixture, replica);

        var statuses = await AllAtOnce.RunAsync(50, async _ =>
        {
            using var response = await client.GetAsync($"/api/products/{productId}");
            return response.StatusCode;
        });
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));

        var after = await GetCacheStatisticsAsync(Fixture, replica);
        Assert.Equal(1, after.DatabaseLoads - before.DatabaseLoads);
        Assert.Equal(1, after.Misses - before.Misses);
        Assert.Equal(49, after.Hits - before.Hits);
    }

    [Fact]
    public async Task Without_redis_reads_come_from_postgres_and_health_is_degraded_then_the_cache_returns()
    {
        var replicas = await GetReplicasAsync(Fixture);
        var replica = replicas[0];
        using var admin = await AdminClientAsync(Fixture);
        var product = await CreateProductAsync(admin);
        using var client = replica.CreateHttpClient();

        await Fixture.ExecuteCommandAsync(ShopResources.Redis, "resource-stop");
        try
        {
            foreach (var r in replicas)
            {
                using var rc = r.CreateHttpClient();
                await Eventually.ReturnsAsync(async () => (await HealthAnswer.ReadAsync(rc)).Check("redis"),
                    status => status == "DOWN" || status == "DEGRADED", TimeSpan.FromSeconds(30), "the Redis check fails");
                var health = await HealthAnswer.ReadAsync(rc);
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Equal("DEGRADED", health.Status);
                Assert.Equal("DEGRADED", health.Check("redis"));
            }

            var before = await GetCacheStatisticsAsync(Fixture, replica);
            for (var i = 0; i < 3; i++)
            {
                using var read = await client.GetAsync($"/api/products/{product.Id}");
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            }
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/products?pageSize=5")).StatusCode);
            var during = await GetCacheStatisticsAsync(Fixture, replica);
            Assert.Equal(4, during.Bypassed - before.Bypassed);
            Assert.Equal(4, during.DatabaseLoads - before.DatabaseLoads);
        }
        finally
        {
            await Fixture.ExecuteCommandAsync(ShopResources.Redis, "resource-start");
            await Fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(ShopResources.Redis).WaitAsync(TimeSpan.FromMinutes(1));
            foreach (var r in replicas)
            {
                using var rc = r.CreateHttpClient();
                await Eventually.ReturnsAsync(() => HealthAnswer.StatusAsync(rc),
                    status => status == "UP", TimeSpan.FromSeconds(60), $"replica {r.Id} reports UP again");
            }
        }

        var reconnected = await GetCacheStatisticsAsync(Fixture, replica);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/products/{product.Id}")).StatusCode);
        }
        var cached = await GetCacheStatisticsAsync(Fixture, replica);
        Assert.Equal(0, cached.Bypassed - reconnected.Bypassed);
        Assert.Equal(1, cached.DatabaseLoads - reconnected.DatabaseLoads);
        Assert.Equal(2, cached.Hits - reconnected.Hits);
    }
}
