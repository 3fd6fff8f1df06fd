using Google.Rpc;
using Grpc.Core;
using Shop.ProductApi.Grpc.V1;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Products.ProductApiTestContext;

namespace Shop.Tests.Products;

[Collection(ShopCollection.Name)]
public sealed class StockReservationTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task Two_hundred_concurrent_reservations_across_both_replicas_never_oversell()
    {
        using var admin = await AdminClientAsync(fixture);
        var product = await CreateProductAsync(admin, stock: 50);
        var replicas = await GetReplicasAsync(fixture);
        var channels = replicas.Select(r => r.CreateChannel()).ToArray();
        var clients = channels.Select(c => new ProductService.ProductServiceClient(c)).ToArray();

        var outcomes = await AllAtOnce.RunAsync(200, async i =>
        {
            var request = new ReserveStockRequest { OrderId = Guid.NewGuid().ToString(), Items = { Item(product.Id, 1) } };
            try
            {
                await clients[i % 2].ReserveStockAsync(request);
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        });

        Assert.Equal(50, outcomes.Count(s => s == StatusCode.OK));
        Assert.Equal(150, outcomes.Count(s => s == StatusCode.FailedPrecondition));
        Assert.Equal(0, await GetStockFromDatabaseAsync(fixture, product.Id));
        foreach (var channel in channels) channel.Dispose();
    }

    [Fact]
    public async Task A_shortfall_on_one_item_reserves_nothing_and_names_each_short_product()
    {
        using var admin = await AdminClientAsync(fixture);
        var plenty = await CreateProductAsync(admin, stock: 5);
        var scarce = await CreateProductAsync(admin, stock: 1);
        var missing = Guid.NewGuid();
        using var channel = (await GetReplicasAsync(fixture))[0].CreateChannel();
        var client = new ProductService.ProductServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ReserveStockAsync(new ReserveStockRequest
        {
            OrderId = Guid.NewGuid().ToString(),
            Items = { Item(plenty.Id, 2), Item(scarce.Id, 3), Item(missing, 1) },
        }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains(scarce.Id.ToString(), error.Status.Detail);
        Assert.Contains(missing.ToString(), error.Status.Detail);
        Assert.DoesNotContain(plenty.Id.ToString(), error.Status.Detail);
        var violations = error.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations;
        Assert.Equal(new[] { scarce.Id.ToString(), missing.ToString() }.Order(), violations.Select(v => v.Subject).Order());
        Assert.Equal(5, await GetStockFromDatabaseAsync(fixture, plenty.Id));
        Assert.Equal(1, await GetStockFromDatabaseAsync(fixture, scarce.Id));
    }

    [Fact]
    public async Task Replayed_reservations_and_releases_are_idempotent_even_when_concurrent()
    {
        using var admin = await AdminClientAsync(fixture);
        var first = await CreateProductAsync(admin, stock: 10);
        var second = await CreateProductAsync(admin, stock: 10);
        var replicas = await GetReplicasAsync(fixture);
        var channels = replicas.Select(r => r.CreateChannel()).ToArray();
        var clients = channels.Select(c => new ProductService.ProductServiceClient(c)).ToArray();
        var request = new ReserveStockRequest { OrderId = Guid.NewGuid().ToString(), Items = { Item(first.Id, 3), Item(second.Id, 2) } };

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => clients[i % 2].ReserveStockAsync(request).ResponseAsync));
        Assert.Single(replies, r => !r.Replayed);
        Assert.All(replies, r => Assert.Equal(request.OrderId, r.OrderId));
        Assert.Equal(7, await GetStockFromDatabaseAsync(fixture, first.Id));
        Assert.Equal(8, await GetStockFromDatabaseAsync(fixture, second.Id));
        Assert.True((await clients[1].ReserveStockAsync(request)).Replayed);

        var releases = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => clients[i % 2].ReleaseStockAsync(new ReleaseStockRequest { OrderId = request.OrderId }).ResponseAsync));
        Assert.Single(releases, r => r.Released);
        Assert.Equal(10, await GetStockFromDatabaseAsync(fixture, first.Id));
        Assert.Equal(10, await GetStockFromDatabaseAsync(fixture, second.Id));
        Assert.False((await clients[0].ReleaseStockAsync(new ReleaseStockRequest { OrderId = Guid.NewGuid().ToString() })).Released);

        // A rejected order stays rejected on replay, even once stock would allow it.
        var rejected = new ReserveStockRequest { OrderId = Guid.NewGuid().ToString(), Items = { Item(first.Id, 11) } };
        Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(() => clients[0].ReserveStockAsync(rejected).ResponseAsync)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/products/{first.Id}/stock", new { stock = 20 })).StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(() => clients[1].ReserveStockAsync(rejected).ResponseAsync)).StatusCode);
        Assert.Equal(20, await GetStockFromDatabaseAsync(fixture, first.Id));
        foreach (var channel in channels) channel.Dispose();
    }

    [Fact]
    public async Task Get_products_returns_a_batch_and_lists_missing_ids()
    {
        using var admin = await AdminClientAsync(fixture);
        var product = await CreateProductAsync(admin, stock: 4, price: 12.34m);
        var missing = Guid.NewGuid().ToString();
        using var channel = GrpcChannelFor(fixture);
        var client = new ProductService.ProductServiceClient(channel);

        var reply = await client.GetProductsAsync(new GetProductsRequest { ProductIds = { product.Id.ToString(), missing } });
        var found = Assert.Single(reply.Products);
        Assert.Equal("12.34", found.Price);
        Assert.Equal(4, found.Stock);
        Assert.Equal([missing], reply.MissingIds);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => client.GetProductAsync(new GetProductRequest { ProductId = missing }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => client.GetProductAsync(new GetProductRequest { ProductId = "nope" }).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task A_released_order_id_never_reserves_again_even_when_released_before_it_ever_reserved()
    {
        using var admin = await AdminClientAsync(fixture);
        var product = await CreateProductAsync(admin, stock: 10);
        var replicas = await GetReplicasAsync(fixture);
        using var channel = replicas[0].CreateChannel();
        var client = new ProductService.ProductServiceClient(channel);

        // order-api's sweeper releases an abandoned order id whose reservation may still be on its way.
        var late = new ReserveStockRequest { OrderId = Guid.NewGuid().ToString(), Items = { Item(product.Id, 4) } };
        Assert.False((await client.ReleaseStockAsync(new ReleaseStockRequest { OrderId = late.OrderId })).Released);
        Assert.Equal(StatusCode.Aborted, (await Assert.ThrowsAsync<RpcException>(() => client.ReserveStockAsync(late).ResponseAsync)).StatusCode);
        Assert.Equal(10, await GetStockFromDatabaseAsync(fixture, product.Id));

        // A replay of a reservation already given back does not take the stock a second time.
        var replayed = new ReserveStockRequest { OrderId = Guid.NewGuid().ToString(), Items = { Item(product.Id, 3) } };
        await client.ReserveStockAsync(replayed);
        Assert.True((await client.ReleaseStockAsync(new ReleaseStockRequest { OrderId = replayed.OrderId })).Released);
        Assert.Equal(StatusCode.Aborted, (await Assert.ThrowsAsync<RpcException>(() => client.ReserveStockAsync(replayed).ResponseAsync)).StatusCode);
        Assert.Equal(10, await GetStockFromDatabaseAsync(fixture, product.Id));
    }
}
