using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>Dependencies going away under the order flow. Each test brings back what it stopped before it ends.</summary>
[Collection(ShopCollection.Name)]
public sealed class OrderFaultTests(ShopAppFixture fixture) : SystemDisruptingTests(fixture), IDisposable
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(120);
    private readonly OrdersTestClient _client = new(fixture);

    [Fact]
    public async Task With_ProductApi_down_orders_fail_fast_with_503_once_the_breaker_opens_and_nothing_leaks()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);
        var productApi = Fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == ShopResources.ProductApi);
        // The default breaker (GrpcResilienceOptions) with a 5 s break instead of 60 s, so the test can wait it out
        // and see every breaker close again. Set live as an operator would: the breakers are rebuilt with it (and
        // rebuilt closed again when the file is restored at the end).
        var breakDuration = TimeSpan.FromSeconds(5);
        await using var shortBreak = await Fixture.OverrideSettingsAsync(("Orders:GrpcResilience:BreakerBreakDuration", breakDuration.ToString("c")));
        await Task.Delay(TimeSpan.FromSeconds(2)); // both replicas reload the file
        var commands = Fixture.App.Services.GetRequiredService<ResourceCommandService>();

        // Stops every replica. A replica drains its open HTTP/2 connections before it exits, which can outlast the
        // command's own wait: what matters is that orders then fail, which the loop below waits for.
        await commands.ExecuteCommandAsync(productApi, "resource-stop");
        DateTime lastUnavailable;
        try
        {
            // Requests are spread over both order-api replicas: go on until each breaker is open, that is until a
            // run of 503s that each came back within a second.
            var timings = new List<(HttpStatusCode Status, TimeSpan Elapsed, string? RetryAfter)>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (DateTime.UtcNow < deadline && !(timings.Count >= 6 && timings.TakeLast(6).All(t => t.Status == HttpStatusCode.ServiceUnavailable && t.Elapsed < TimeSpan.FromSeconds(1))))
            {
                var clock = Stopwatch.StartNew();
                using var response = await _client.PostOrderAsync(customer, OrdersTestClient.OrderBody((product.Id, 1)), Guid.NewGuid().ToString());
                timings.Add((response.StatusCode, clock.Elapsed, response.Headers.RetryAfter?.ToString()));
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable) await OrdersTestClient.ReadProblemAsync(response);
            }

            lastUnavailable = DateTime.UtcNow;
            var fast = timings.TakeLast(6).ToList();
            Assert.All(fast, t => Assert.Equal(HttpStatusCode.ServiceUnavailable, t.Status));
            Assert.All(fast, t => Assert.True(t.Elapsed < TimeSpan.FromSeconds(1), $"took {t.Elapsed}"));
            Assert.All(fast, t => Assert.False(string.IsNullOrEmpty(t.RetryAfter), "503 carries Retry-After"));
            // Orders accepted before the replicas were down are fine; none after.
            var created = timings.Count(t => t.Status == HttpStatusCode.Created);
            Assert.Equal(created, await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM order_items WHERE "ProductId" = @p""", ("p", product.Id)));
            Assert.Equal(10 - created, await StockWhenBackAsync(product.Id, commands, productApi));
        }
        finally
        {
            await StartAsync(commands, productApi);
        }

        // Every breaker opened at the latest with the last 503; once its break is over the next call is a half-open
        // trial that succeeds and closes it. Leave both replicas closed for the tests that follow.
        var breakOver = lastUnavailable + breakDuration + TimeSpan.FromSeconds(1) - DateTime.UtcNow;
        if (breakOver > TimeSpan.Zero) await Task.Delay(breakOver);
        await WaitUntilEveryOrderReplicaCanOrderAsync(customer, product.Id);
    }

    [Fact]
    public async Task Events_written_while_Kafka_is_down_reach_the_Notifier_exactly_once_after_it_returns()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 20);

        await Fixture.ExecuteCommandAsync(ShopResources.Kafka, "kafka-stop");
        List<OrderDto> orders;
        try
        {
            orders = [];
            for (var i = 0; i < 4; i++) orders.Add(await _client.CreateOrderAsync(customer, (product.Id, 1)));
            using (var pay = await _client.PayAsync(customer, orders[0].Id)) Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.True(await UnsentAsync(orders) > 0, "nothing can be published while the broker is down");
        }
        finally
        {
            await Fixture.ExecuteCommandAsync(ShopResources.Kafka, "kafka-start");
            await Fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(ShopResources.Kafka).WaitAsync(RecoveryTimeout);
        }

        foreach (var order in orders)
        {
            string[] expected = order == orders[0] ? ["order.created", "order.paid"] : ["order.created"];
            await _client.WaitForNotificationsAsync(customer, order.Id, expected, RecoveryTimeout);
        }
        await Eventually.ReturnsAsync(() => UnsentAsync(orders), n => n == 0, RecoveryTimeout, "the outbox drains");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a redelivery, if any, would show up now
        foreach (var order in orders)
        {
            await AssertNotifiedOnceAsync(customer, order.Id);
        }
    }

    [Fact]
    public async Task Stopping_the_Notifier_mid_stream_loses_nothing_and_duplicates_nothing()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 30);
        var orders = new List<OrderDto>();
        for (var i = 0; i < 3; i++) orders.Add(await _client.CreateOrderAsync(customer, (product.Id, 1)));

        try
        {
            await StopAndWaitAsync(ShopResources.Notifier);
            for (var i = 0; i < 5; i++) orders.Add(await _client.CreateOrderAsync(customer, (product.Id, 1)));
            await Eventually.ReturnsAsync(() => UnsentAsync(orders), n => n == 0, RecoveryTimeout, "published while the Notifier is down");
        }
        finally
        {
            await Fixture.ExecuteCommandAsync(ShopResources.Notifier, "resource-start");
            await Fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(ShopResources.Notifier).WaitAsync(RecoveryTimeout);
        }
        for (var i = 0; i < 3; i++) orders.Add(await _client.CreateOrderAsync(customer, (product.Id, 1)));

        foreach (var order in orders)
        {
            await _client.WaitForNotificationsAsync(customer, order.Id, ["order.created"], RecoveryTimeout);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var order in orders)
        {
            await AssertNotifiedOnceAsync(customer, order.Id);
        }
    }

    [Fact]
    public async Task A_poison_message_goes_to_the_dead_letter_topic_and_the_consumer_keeps_going()
    {
        var bootstrap = await Fixture.GetConnectionStringAsync(ShopResources.Kafka);
        var key = $"poison-{Guid.NewGuid():N}";
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            await producer.ProduceAsync(ShopResources.OrdersTopic, new Message<string, string> { Key = key, Value = "{ this is not json" });
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"orders-tests-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(ShopResources.OrdersDeadLetterTopic);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        ConsumeResult<string, string>? dead = null;
        while (dead is null && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result?.Message?.Key == key) dead = result;
        }
        consumer.Close();

        Assert.NotNull(dead);
        Assert.Equal("{ this is not json", dead.Message.Value);
        Assert.False(string.IsNullOrEmpty(Header(dead, "error")), "the error travels in a header");
        Assert.Equal(ShopResources.OrdersTopic, Header(dead, "original-topic"));

        // The consumer did not stop on it.
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 5);
        var order = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await _client.PostOrderAsync(customer, OrdersTestClient.OrderBody((product.Id, 1)), Guid.NewGuid().ToString());
            return response.StatusCode == HttpStatusCode.Created ? await response.Content.ReadFromJsonAsync<OrderDto>() : null;
        }, o => o is not null, RecoveryTimeout, "an order is accepted");
        await _client.WaitForNotificationsAsync(customer, order!.Id, ["order.created"]);
    }

    private async Task AssertNotifiedOnceAsync(string customer, Guid orderId)
    {
        var notifications = await _client.GetNotificationsAsync(customer, orderId);
        foreach (var group in notifications.GroupBy(n => n.EventId))
        {
            Assert.Equal(group.Select(n => n.Channel).Distinct().Count(), group.Count());
        }
        var processed = await _client.ScalarAsync(ShopResources.NotificationsDb,
            """SELECT count(*) FROM processed_events WHERE "EventId" = ANY(@ids)""", ("ids", notifications.Select(n => n.EventId).Distinct().ToArray()));
        var published = await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM outbox_messages WHERE "OrderId" = @id""", ("id", orderId));
        Assert.Equal(published, processed);
        Assert.Equal(published, notifications.Select(n => n.EventId).Distinct().Count());
    }

    private Task<long> UnsentAsync(IEnumerable<OrderDto> orders) =>
        _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM outbox_messages WHERE "SentAt" IS NULL AND "OrderId" = ANY(@ids)""",
            ("ids", orders.Select(o => o.Id).ToArray()));

    private async Task WaitUntilEveryOrderReplicaCanOrderAsync(string customer, Guid productId)
    {
        // Requests alternate between the replicas: a run of successes means both breakers are closed again.
        var successes = 0;
        await Eventually.ReturnsAsync(async () =>
        {
            using var response = await _client.PostOrderAsync(customer, OrdersTestClient.OrderBody((productId, 1)), Guid.NewGuid().ToString());
            successes = response.StatusCode == HttpStatusCode.Created ? successes + 1 : 0;
            return successes;
        }, n => n >= 8, RecoveryTimeout, "both order-api replicas order again");
    }

    /// <summary>
    /// Stops a resource and waits until its process is gone. The stop command can report a failure while the
    /// service is still draining (graceful shutdown); the state the resource reaches is what counts.
    /// </summary>
    private async Task StopAndWaitAsync(string resource)
    {
        var commands = Fixture.App.Services.GetRequiredService<ResourceCommandService>();
        for (var attempt = 1; ; attempt++)
        {
            await commands.ExecuteCommandAsync(resource, "resource-stop");
            try
            {
                await Fixture.App.ResourceNotifications.WaitForResourceAsync(resource, [KnownResourceStates.Exited, KnownResourceStates.Finished])
                    .WaitAsync(TimeSpan.FromSeconds(30));
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    private bool _productApiStarted;

    private async Task<int> StockWhenBackAsync(Guid productId, ResourceCommandService commands, IResource productApi)
    {
        // The stock lives in productsdb, which stays up: read it directly, no ProductApi needed.
        var stock = await _client.GetStockAsync(productId);
        await StartAsync(commands, productApi);
        return stock;
    }

    private async Task StartAsync(ResourceCommandService commands, IResource productApi)
    {
        if (_productApiStarted) return;
        _productApiStarted = true;
        // A replica may still be on its way down when the start arrives, and DCP then reports that it failed to
        // start: start again, as an operator would, until both replicas run and are healthy.
        await Eventually.ReturnsAsync(async () =>
        {
            if (!(await commands.ExecuteCommandAsync(productApi, "resource-start")).Success) return false;
            try
            {
                await Fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(ShopResources.ProductApi).WaitAsync(TimeSpan.FromSeconds(30));
                return true;
            }
            catch (Exception ex) when (ex is DistributedApplicationException or TimeoutException)
            {
                return false;
            }
        }, ok => ok, RecoveryTimeout, "product-api replicas start again and are healthy");
    }

    private static string? Header(ConsumeResult<string, string> result, string key) =>
        result.Message.Headers.TryGetLastBytes(key, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    public void Dispose() => _client.Dispose();
}
