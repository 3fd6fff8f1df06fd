using Shop.ProductApi.Grpc.V1;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using Shop.Tests.Products;

namespace Shop.Tests.Orders;

/// <summary>OrderApi's background job, driven through the live settings file like an operator would.</summary>
[Collection(ShopCollection.Name)]
public sealed class OrderMaintenanceTests(ShopAppFixture fixture) : IDisposable
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);
    private readonly OrdersTestClient _client = new(fixture);

    [Fact]
    public async Task An_order_not_paid_in_time_is_cancelled_by_the_job_its_stock_released_and_the_customer_notified()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);
        var paid = await _client.CreateOrderAsync(customer, (product.Id, 1));
        using (var pay = await _client.PayAsync(customer, paid.Id)) Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
        var unpaid = await _client.CreateOrderAsync(customer, (product.Id, 3));
        Assert.Equal(6, await _client.GetStockAsync(product.Id));

        OrderDto cancelled;
        await using (await fixture.OverrideSettingsAsync(("Orders:Expiry:PaymentTimeout", "00:00:02"), ("Orders:Expiry:CheckInterval", "00:00:01")))
        {
            cancelled = await Eventually.ReturnsAsync(() => GetOrderAsync(customer, unpaid.Id), o => o.Status == "cancelled",
                JobTimeout, "the job cancels the unpaid order");
        }

        Assert.Equal("Not paid in time.", cancelled.CancellationReason);
        Assert.Null(cancelled.RefundReference);
        Assert.Equal("paid", (await GetOrderAsync(customer, paid.Id)).Status);
        await Eventually.ReturnsAsync(() => _client.GetStockAsync(product.Id), stock => stock == 9, JobTimeout, "the 3 reserved units come back");
        await _client.WaitForNotificationsAsync(customer, unpaid.Id, ["order.created", "order.cancelled"]);
    }

    [Fact]
    public async Task Stock_reserved_for_an_order_that_was_never_stored_is_released_from_the_retry_queue()
    {
        var product = await _client.CreateProductAsync(stock: 10);
        var orderId = Guid.NewGuid();
        // What OrderApi leaves behind when it reserved stock, failed to store the order and could not release it
        // then: a reservation under an order id nothing else knows, and its row in the retry queue.
        using (var channel = ProductApiTestContext.GrpcChannelFor(fixture))
        {
            await new ProductService.ProductServiceClient(channel).ReserveStockAsync(
                new ReserveStockRequest { OrderId = orderId.ToString(), Items = { ProductApiTestContext.Item(product.Id, 4) } });
        }
        Assert.Equal(6, await _client.GetStockAsync(product.Id));
        await _client.ScalarAsync(ShopResources.OrdersDb,
            """INSERT INTO stock_release_retries ("OrderId", "FailedAt", "Attempts") VALUES (@id, now(), 1) RETURNING 1""", ("id", orderId));

        await using (await fixture.OverrideSettingsAsync(("Orders:Expiry:CheckInterval", "00:00:01")))
        {
            await Eventually.ReturnsAsync(() => _client.GetStockAsync(product.Id), stock => stock == 10, JobTimeout, "the queued release runs");
            await Eventually.ReturnsAsync(
                () => _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM stock_release_retries WHERE "OrderId" = @id""", ("id", orderId)),
                n => n == 0, JobTimeout, "a done release leaves the queue");
        }
    }

    private async Task<OrderDto> GetOrderAsync(string token, Guid orderId)
    {
        using var response = await _client.SendAsync(_client.Orders, HttpMethod.Get, $"/api/orders/{orderId}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderDto>())!;
    }

    public void Dispose() => _client.Dispose();
}
