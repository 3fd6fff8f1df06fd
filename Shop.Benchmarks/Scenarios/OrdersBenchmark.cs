using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.AppHost.Hosting;
using Shop.Benchmarks.Infrastructure;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// Order creation (validate user → price → reserve stock → order + outbox) through order-api's two replicas:
/// the maximum rate closed-loop, then a sustained open-loop rate with p50/p99, and the delay from order.created
/// committed to the notification stored by the Notifier (through the outbox relay and Kafka).
/// </summary>
public sealed class OrdersBenchmark : IBenchmarkScenario
{
    private const int Customers = 16;
    private const int ProductCount = 20;

    public string Name => "orders";

    public string Description => "POST /api/orders: creations/s, p50/p99 at a sustained rate, order.created → notification p99";

    public async Task RunAsync(ShopApp app, TextWriter output, CancellationToken cancellationToken)
    {
        using var users = app.CreateHttpClient(ShopResources.UserApi);
        using var products = app.CreateHttpClient(ShopResources.ProductApi);
        using var orders = app.CreateHttpClient(ShopResources.OrderApi);
        orders.Timeout = TimeSpan.FromSeconds(30);

        var admin = await ShopAccounts.LoginAsync(users, await ParameterAsync(app, ShopParameters.AdminEmail), await ParameterAsync(app, ShopParameters.AdminPassword), cancellationToken);
        var tokens = new string[Customers];
        for (var i = 0; i < Customers; i++)
        {
            var email = $"bench-{Guid.NewGuid():N}@example.com";
            tokens[i] = await ShopAccounts.RegisterAndLoginAsync(users, email, "bench-password-1", "Bench", cancellationToken);
        }
        var productIds = await CreateProductsAsync(products, admin, cancellationToken);

        LoadRunner.Operation createOrder = async (worker, iteration, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = JsonContent.Create(new
                {
                    items = new[] { new { productId = productIds[(worker + iteration) % productIds.Length], quantity = 1 } },
                    shippingAddress = new { name = "Bench", line1 = "1 Load St", city = "Perf", postalCode = "1000", country = "DE" },
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[worker % tokens.Length]);
            request.Headers.Add(ShopHeaders.IdempotencyKey, Guid.NewGuid().ToString());
            using var response = await orders.SendAsync(request, ct);
            return (response.StatusCode == HttpStatusCode.Created, ((int)response.StatusCode).ToString());
        };

        // The services JIT their hot paths during the first minute of load on two cores: measure after that.
        var closed = await LoadRunner.ClosedLoopAsync("orders closed-loop (32 workers)", 32, TimeSpan.FromSeconds(20), createOrder, warmup: TimeSpan.FromSeconds(45));
        output.WriteLine(closed);

        // Let the relay and the Notifier catch up, so the sustained run's events do not queue behind this backlog.
        output.WriteLine($"{"event backlog drained after",-40} {await WaitForDrainAsync(app, cancellationToken):F1} s");

        var sustainedRate = Math.Max(10, Math.Floor(closed.RequestsPerSecond * 0.6 / 5) * 5);
        var since = DateTimeOffset.UtcNow;
        var sustained = await LoadRunner.OpenLoopAsync($"orders open-loop at {sustainedRate:F0}/s", sustainedRate, TimeSpan.FromSeconds(20), createOrder);
        output.WriteLine(sustained);

        output.WriteLine(await NotificationDelayAsync(app, since, sustained.Requests - sustained.Errors, cancellationToken));

        var target = await LoadRunner.OpenLoopAsync("orders open-loop at the 1000/s target", 1000, TimeSpan.FromSeconds(5), createOrder);
        output.WriteLine(target);
        output.WriteLine("target: 1,000 orders/s at p99 ≤ 50 ms with no errors");
    }

    /// <summary>Waits until every outbox row is published and handled by the Notifier; returns the seconds waited.</summary>
    private static async Task<double> WaitForDrainAsync(ShopApp app, CancellationToken cancellationToken)
    {
        await using var ordersDb = new NpgsqlConnection(await app.App.GetConnectionStringAsync(ShopResources.OrdersDb, cancellationToken));
        await using var notificationsDb = new NpgsqlConnection(await app.App.GetConnectionStringAsync(ShopResources.NotificationsDb, cancellationToken));
        await ordersDb.OpenAsync(cancellationToken);
        await notificationsDb.OpenAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            await using var published = new NpgsqlCommand("SELECT count(*) FROM outbox_messages", ordersDb);
            await using var handled = new NpgsqlCommand("SELECT count(*) FROM processed_events", notificationsDb);
            if ((long)(await handled.ExecuteScalarAsync(cancellationToken))! >= (long)(await published.ExecuteScalarAsync(cancellationToken))!) break;
            await Task.Delay(500, cancellationToken);
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Delay from order.created committed (outbox row time) to the notification row, for the sustained run's orders.</summary>
    private static async Task<string> NotificationDelayAsync(ShopApp app, DateTimeOffset since, int expected, CancellationToken cancellationToken)
    {
        await using var ordersDb = new NpgsqlConnection(await app.App.GetConnectionStringAsync(ShopResources.OrdersDb, cancellationToken));
        await using var notificationsDb = new NpgsqlConnection(await app.App.GetConnectionStringAsync(ShopResources.NotificationsDb, cancellationToken));
        await ordersDb.OpenAsync(cancellationToken);
        await notificationsDb.OpenAsync(cancellationToken);

        var created = new Dictionary<Guid, DateTimeOffset>();
        await using (var command = new NpgsqlCommand(
            """SELECT "EventId", "OccurredAt" FROM outbox_messages WHERE "EventType" = 'order.created' AND "OccurredAt" >= @since""", ordersDb))
        {
            command.Parameters.AddWithValue("since", since);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) created[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        var delays = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            delays.Clear();
            await using var command = new NpgsqlCommand(
                """SELECT "EventId", min("CreatedAt") FROM notifications WHERE "EventId" = ANY(@ids) GROUP BY "EventId" """, notificationsDb);
            command.Parameters.AddWithValue("ids", created.Keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                delays.Add((reader.GetFieldValue<DateTimeOffset>(1) - created[reader.GetGuid(0)]).TotalMilliseconds);
            }
            if (delays.Count >= created.Count) break;
            await Task.Delay(1000, cancellationToken);
        }
        delays.Sort();
        double P(double p) => Percentiles.NearestRank(delays, p);
        return $"{"order.created → notification stored",-40} {delays.Count}/{created.Count} events (of {expected} orders)  p50 {P(50),7:F1} ms  p99 {P(99),7:F1} ms  max {P(100),8:F1} ms";
    }

    private static async Task<string[]> CreateProductsAsync(HttpClient products, string admin, CancellationToken cancellationToken)
    {
        using var categoriesRequest = new HttpRequestMessage(HttpMethod.Get, "/api/categories");
        using var categories = await products.SendAsync(categoriesRequest, cancellationToken);
        var category = (await categories.Content.ReadFromJsonAsync<JsonElement>(cancellationToken))[0].GetProperty("slug").GetString();
        var ids = new string[ProductCount];
        for (var i = 0; i < ProductCount; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/products")
            {
                Content = JsonContent.Create(new
                {
                    sku = $"BENCH-{Guid.NewGuid():N}"[..30], name = $"Bench product {i}", description = "benchmark", category,
                    brand = "Bench", price = 9.99m, currency = "EUR", stock = 1_000_000,
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var response = await products.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        }
        return ids;
    }

    private static async Task<string> ParameterAsync(ShopApp app, string name)
    {
        var model = app.App.Services.GetRequiredService<DistributedApplicationModel>();
        return await model.Resources.OfType<ParameterResource>().Single(r => r.Name == name).GetValueAsync(default) ?? "";
    }
}
