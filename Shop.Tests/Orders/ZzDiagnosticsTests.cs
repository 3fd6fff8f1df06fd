using Microsoft.Extensions.DependencyInjection;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.Tests.Orders;

[Collection(ShopCollection.Name)]
public sealed class ZzDiagnosticsTests(ShopAppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Dump()
    {
        using var client = new OrdersTestClient(fixture);
        var customer = await client.CustomerTokenAsync();
        var product = await client.CreateProductAsync(stock: 200);
        var order = await client.CreateOrderAsync(customer, (product.Id, 1));
        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ =>
            client.PostOrderAsync(customer, OrdersTestClient.OrderBody((product.Id, 1)), Guid.NewGuid().ToString())));
        foreach (var r in responses.Where(r => !r.IsSuccessStatusCode).Take(3)) output.WriteLine($"{r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        await Task.Delay(8000);
        output.WriteLine("unsent: " + await client.ScalarAsync("ordersdb", """SELECT count(*) FROM outbox_messages WHERE "SentAt" IS NULL"""));
        output.WriteLine("sent: " + await client.ScalarAsync("ordersdb", """SELECT count(*) FROM outbox_messages WHERE "SentAt" IS NOT NULL"""));
        output.WriteLine("processed: " + await client.ScalarAsync("notificationsdb", """SELECT count(*) FROM processed_events"""));
        var loggers = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        var names = new HashSet<string>();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await foreach (var e in fixture.App.ResourceNotifications.WatchAsync(cts.Token))
                    if (e.Resource.Name is "order-api" or "notifier" or "product-api") names.Add(e.ResourceId);
            }
            catch (OperationCanceledException) { }
        }
        foreach (var name in names)
        {
            output.WriteLine($"===== {name}");
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var lines = new List<string>();
            try
            {
                await foreach (var batch in loggers.WatchAsync(name).WithCancellation(cts.Token))
                    lines.AddRange(batch.Select(l => l.Content));
            }
            catch (OperationCanceledException) { }
            foreach (var line in lines.Where(l => !l.Contains("[dev mail sink]") && !l.Contains("simulated")).TakeLast(80)) output.WriteLine(line.Length > 600 ? line[..600] : line);
        }
    }
}
