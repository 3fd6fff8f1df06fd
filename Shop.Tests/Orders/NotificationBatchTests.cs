using System.Text.Json;
using Confluent.Kafka;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>The notifier handles the order events that arrive together in one transaction, and still each exactly once.</summary>
[Collection(ShopCollection.Name)]
public sealed class NotificationBatchTests(ShopAppFixture fixture) : IDisposable
{
    private readonly OrdersTestClient _client = new(fixture);

    [Fact]
    public async Task Events_that_arrive_together_are_stored_in_one_transaction_and_a_duplicate_among_them_once()
    {
        var (customer, userId) = await CustomerAsync();
        var first = Event(userId, "order.created");
        var second = Event(userId, "order.created");

        await ProduceTogetherAsync(first.Json, second.Json, first.Json);

        var a = await _client.WaitForNotificationsAsync(customer, first.OrderId, ["order.created"]);
        var b = await _client.WaitForNotificationsAsync(customer, second.OrderId, ["order.created"]);
        Assert.Equal(["email", "push"], a.Select(n => n.Channel).Order());
        Assert.Equal(["email", "push"], b.Select(n => n.Channel).Order());
        // One transaction: every row of the batch carries the same time (one event at a time would differ by microseconds).
        Assert.Single(a.Concat(b).Select(n => n.CreatedAt).Distinct());
        Assert.Equal(2, await _client.ScalarAsync(ShopResources.NotificationsDb,
            """SELECT count(*) FROM processed_events WHERE "EventId" = ANY(@ids)""", ("ids", new[] { first.EventId, second.EventId })));
    }

    [Fact]
    public async Task A_poison_message_in_a_batch_is_dead_lettered_alone_and_its_neighbours_are_notified()
    {
        var (customer, userId) = await CustomerAsync();
        var before = Event(userId, "order.created");
        var after = Event(userId, "order.paid");

        await ProduceTogetherAsync(before.Json, "{\"eventId\": \"not a guid\"", after.Json);

        await _client.WaitForNotificationsAsync(customer, before.OrderId, ["order.created"]);
        await _client.WaitForNotificationsAsync(customer, after.OrderId, ["order.paid"]);
        Assert.Equal(2, await _client.ScalarAsync(ShopResources.NotificationsDb,
            """SELECT count(*) FROM processed_events WHERE "EventId" = ANY(@ids)""", ("ids", new[] { before.EventId, after.EventId })));
    }

    private async Task<(string Token, Guid UserId)> CustomerAsync()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 5);
        var order = await _client.CreateOrderAsync(customer, (product.Id, 1));
        // The notifier has handled this order's own event: it neither joins the batch under test nor finds a stale
        // database connection (earlier tests restart PostgreSQL), either of which would split the batch legitimately.
        await _client.WaitForNotificationsAsync(customer, order.Id, ["order.created"]);
        return (customer, order.UserId);
    }

    private static (Guid EventId, Guid OrderId, string Json) Event(Guid userId, string type)
    {
        var (eventId, orderId) = (Guid.NewGuid(), Guid.NewGuid());
        var json = JsonSerializer.Serialize(new
        {
            eventId, eventType = type, version = 1, occurredAt = DateTimeOffset.UtcNow, orderId, userId,
            customerEmail = "batch@example.com", status = type == "order.paid" ? "Paid" : "Pending", total = 12.5m, currency = "EUR",
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return (eventId, orderId, json);
    }

    /// <summary>
    /// One key and one record batch: the messages land in one partition together and are fetched together. The batch
    /// is sent when it holds all of them (<c>batch.num.messages</c>), never earlier: the linger is far longer than
    /// the topic's metadata takes, and no flush (a flush sends at once whatever has reached the partition so far).
    /// </summary>
    private async Task ProduceTogetherAsync(params string[] values)
    {
        var key = $"batch-{Guid.NewGuid():N}";
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = await fixture.GetConnectionStringAsync(ShopResources.Kafka),
            BatchNumMessages = values.Length,
            LingerMs = 30_000,
        }).Build();
        await Task.WhenAll(values.Select(v => producer.ProduceAsync(ShopResources.OrdersTopic, new Message<string, string> { Key = key, Value = v })));
    }

    public void Dispose() => _client.Dispose();
}
