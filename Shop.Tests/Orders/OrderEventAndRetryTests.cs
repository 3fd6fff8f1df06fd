using Shop.OrderApi.Grpc;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Model;
using Shop.OrderApi.Services;
using NotifierEvent = Shop.Notifier.IntegrationEvents.OrderEvent;
using PoisonMessageException = Shop.Notifier.IntegrationEvents.PoisonMessageException;
using Shop.Notifier.Services;
using System.Text.Json;

namespace Shop.Tests.Orders;

public sealed class OrderEventAndRetryTests
{
    [Fact]
    public void Each_status_has_its_versioned_event_that_the_notifier_reads_back()
    {
        var order = OrderStateMachineTests.NewOrder();
        var now = DateTimeOffset.UtcNow;
        var types = new List<string>();
        foreach (var step in new Action[] { () => { }, () => order.MarkPaid("pay_1", now), () => order.Ship(now), () => order.Deliver(now) })
        {
            step();
            var e = OrderEventTypes.For(order, now);
            var json = JsonSerializer.Serialize(e, e.GetType(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
            var read = NotifierEvent.Parse(json);

            Assert.Equal((e.EventId, e.EventType, 1, order.Id, order.UserId, order.Total), (read.EventId, read.EventType, read.Version, read.OrderId, read.UserId, read.Total));
            Assert.NotEmpty(NotificationPlan.ChannelsFor(read.EventType));
            Assert.Contains(order.Id.ToString()[^8..], NotificationPlan.Compose(read).Text);
            types.Add(read.EventType);
        }
        Assert.Equal(["order.created", "order.paid", "order.shipped", "order.delivered"], types);

        var cancelled = OrderStateMachineTests.NewOrder();
        cancelled.Cancel("test", now);
        Assert.IsType<OrderCancelledV1>(OrderEventTypes.For(cancelled, now));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"eventId\":")]
    [InlineData("{}")]
    [InlineData("{\"eventId\":\"8d3c5bd4-4a52-4b9c-9a8a-0d7a5c3f0e11\",\"eventType\":\"order.exploded\",\"version\":1,\"orderId\":\"8d3c5bd4-4a52-4b9c-9a8a-0d7a5c3f0e12\",\"userId\":\"8d3c5bd4-4a52-4b9c-9a8a-0d7a5c3f0e13\"}")]
    [InlineData("")]
    public void Messages_that_are_not_order_events_are_poison(string value) =>
        Assert.Throws<PoisonMessageException>(() => NotifierEvent.Parse(value));

    [Theory]
    [InlineData("/shop.product.v1.ProductService/GetProduct", true)]
    [InlineData("/shop.product.v1.ProductService/GetProducts", true)]
    [InlineData("/shop.product.v1.ProductService/ReserveStock", true)]
    [InlineData("/shop.product.v1.ProductService/ReleaseStock", true)]
    [InlineData("/shop.user.v1.UserService/CreateUser", false)]
    [InlineData("/something/else", false)]
    public void Only_idempotent_grpc_methods_are_retried(string path, bool retried) =>
        Assert.Equal(retried, IdempotentGrpcMethods.IsIdempotent(new HttpRequestMessage(HttpMethod.Post, "http://product-api" + path)));

    [Fact]
    public void Backoff_grows_with_jitter_and_stays_within_its_bounds()
    {
        var min = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(2);
        var random = new Random(42);
        var delays = Enumerable.Range(1, 10).Select(attempt => Backoff.For(attempt, min, max, random)).ToList();

        Assert.All(delays, d => Assert.InRange(d, min, max));
        Assert.True(Backoff.For(1, min, max, new Random(1)) <= TimeSpan.FromMilliseconds(100));
        Assert.True(delays.Distinct().Count() > 5, "jitter spreads the delays");
        Assert.True(delays.Skip(5).Max() > TimeSpan.FromMilliseconds(400), "later attempts wait longer");
    }
}
