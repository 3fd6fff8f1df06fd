using System.Diagnostics;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

[Collection(ShopCollection.Name)]
public sealed class OrderFlowTests(ShopAppFixture fixture) : IDisposable
{
    private readonly OrdersTestClient _client = new(fixture);

    [Fact]
    public async Task Create_pay_ship_deliver_stores_a_notification_for_each_event()
    {
        var customer = await _client.CustomerTokenAsync();
        var admin = await _client.AdminTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10, price: 12.50m);

        // A client-sent price is ignored: the server prices from the catalog.
        using var created = await _client.PostOrderAsync(customer, new
        {
            items = new[] { new { productId = product.Id, quantity = 2, price = 0.01m } },
            shippingAddress = OrdersTestClient.Address,
        }, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = (await created.Content.ReadFromJsonAsync<OrderDto>())!;
        Assert.Equal($"/api/orders/{order.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal(("pending", 25.00m, "EUR"), (order.Status, order.Total, order.Currency));
        Assert.Equal(product.Name, Assert.Single(order.Items).Name);
        Assert.Equal(8, await _client.GetStockAsync(product.Id));

        using (var paid = await _client.PayAsync(customer, order.Id)) Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        using (var shipped = await _client.SetStatusAsync(admin, order.Id, "shipped")) Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        using (var delivered = await _client.SetStatusAsync(admin, order.Id, "delivered")) Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);

        using var read = await _client.SendAsync(_client.Orders, HttpMethod.Get, $"/api/orders/{order.Id}", customer);
        var final = (await read.Content.ReadFromJsonAsync<OrderDto>())!;
        Assert.Equal("delivered", final.Status);
        Assert.NotNull(final.PaymentReference);

        string[] events = ["order.created", "order.paid", "order.shipped", "order.delivered"];
        var notifications = await _client.WaitForNotificationsAsync(customer, order.Id, events);
        Assert.All(notifications, n => Assert.Equal(order.Id, n.OrderId));
        Assert.Equal(events.Length, notifications.Select(n => n.EventId).Distinct().Count());
        Assert.Contains(notifications, n => n.Channel == "email");
    }

    [Fact]
    public async Task Customers_cannot_ship_and_shipping_needs_an_admin()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 5);
        var order = await _client.CreateOrderAsync(customer, (product.Id, 1));

        using var response = await _client.SetStatusAsync(customer, order.Id, "shipped");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Cancelling_releases_the_stock_and_a_paid_cancel_records_a_refund()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);

        var pending = await _client.CreateOrderAsync(customer, (product.Id, 3));
        var paid = await _client.CreateOrderAsync(customer, (product.Id, 4));
        Assert.Equal(3, await _client.GetStockAsync(product.Id));
        using (var pay = await _client.PayAsync(customer, paid.Id)) Assert.Equal(HttpStatusCode.OK, pay.StatusCode);

        using var cancelPending = await _client.CancelAsync(customer, pending.Id);
        using var cancelPaid = await _client.CancelAsync(customer, paid.Id);

        Assert.Equal(HttpStatusCode.OK, cancelPending.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancelPaid.StatusCode);
        var paidCancelled = (await cancelPaid.Content.ReadFromJsonAsync<OrderDto>())!;
        Assert.Equal("cancelled", paidCancelled.Status);
        Assert.NotNull(paidCancelled.RefundReference);
        Assert.Null((await cancelPending.Content.ReadFromJsonAsync<OrderDto>())!.RefundReference);
        Assert.Equal(10, await _client.GetStockAsync(product.Id));
        await _client.WaitForNotificationsAsync(customer, paid.Id, ["order.created", "order.paid", "order.cancelled"]);
    }

    [Fact]
    public async Task Illegal_transitions_are_409()
    {
        var customer = await _client.CustomerTokenAsync();
        var admin = await _client.AdminTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);
        var order = await _client.CreateOrderAsync(customer, (product.Id, 1));

        using (var shipUnpaid = await _client.SetStatusAsync(admin, order.Id, "shipped")) await AssertConflictAsync(shipUnpaid);
        using (var deliverUnpaid = await _client.SetStatusAsync(admin, order.Id, "delivered")) await AssertConflictAsync(deliverUnpaid);
        using (var pay = await _client.PayAsync(customer, order.Id)) Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
        using (var payTwice = await _client.PayAsync(customer, order.Id)) await AssertConflictAsync(payTwice);
        using (var ship = await _client.SetStatusAsync(admin, order.Id, "shipped")) Assert.Equal(HttpStatusCode.OK, ship.StatusCode);
        using (var cancelShipped = await _client.CancelAsync(customer, order.Id)) await AssertConflictAsync(cancelShipped);

        var cancelled = await _client.CreateOrderAsync(customer, (product.Id, 1));
        using (var cancel = await _client.CancelAsync(customer, cancelled.Id)) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        using (var payCancelled = await _client.PayAsync(customer, cancelled.Id)) await AssertConflictAsync(payCancelled);
        using (var cancelAgain = await _client.CancelAsync(customer, cancelled.Id)) await AssertConflictAsync(cancelAgain);
    }

    [Fact]
    public async Task Concurrent_transitions_of_one_order_cannot_both_win()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);
        var order = await _client.CreateOrderAsync(customer, (product.Id, 1));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? _client.PayAsync(customer, order.Id)
            : _client.CancelAsync(customer, order.Id)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var r in responses) r.Dispose();
        // Pay then cancel may both succeed in sequence (Paid → Cancelled), but never two pays or two cancels.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 1, 2);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var events = await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM outbox_messages WHERE "OrderId" = @id""", ("id", order.Id));
        Assert.Equal(1 + statuses.Count(s => s == HttpStatusCode.OK), events);
    }

    [Fact]
    public async Task A_declined_card_is_402_and_the_order_stays_pending()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);
        var order = await _client.CreateOrderAsync(customer, (product.Id, 1));

        using var declined = await _client.PayAsync(customer, order.Id, card: "4000000000000002");

        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.Equal(402, (await OrdersTestClient.ReadProblemAsync(declined)).GetProperty("status").GetInt32());
        using var read = await _client.SendAsync(_client.Orders, HttpMethod.Get, $"/api/orders/{order.Id}", customer);
        Assert.Equal("pending", (await read.Content.ReadFromJsonAsync<OrderDto>())!.Status);
    }

    [Fact]
    public async Task An_order_placed_with_a_payment_is_paid_in_that_request_and_its_replay_charges_nothing_more()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10, price: 12.50m);
        var key = Guid.NewGuid().ToString();
        var body = OrdersTestClient.OrderBody([(product.Id, 2)], payWith: ("card", "4242424242424242"));

        using var placed = await _client.PostOrderAsync(customer, body, key);

        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<OrderDto>())!;
        Assert.Equal($"/api/orders/{order.Id}", placed.Headers.Location?.OriginalString);
        Assert.Equal(("paid", 25.00m), (order.Status, order.Total));
        Assert.NotNull(order.PaymentReference);
        Assert.Equal(8, await _client.GetStockAsync(product.Id));

        using var replay = await _client.PostOrderAsync(customer, body, key);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues(ShopHeaders.IdempotentReplayed).Single());
        var replayed = (await replay.Content.ReadFromJsonAsync<OrderDto>())!;
        Assert.Equal((order.Id, "paid", order.PaymentReference), (replayed.Id, replayed.Status, replayed.PaymentReference));
        Assert.Equal(8, await _client.GetStockAsync(product.Id));
        Assert.Equal(1, await _client.ScalarAsync(ShopResources.OrdersDb, """
            SELECT count(*) FROM payments p JOIN simulated_provider_ledger l ON l."PaymentId" = p."Id" WHERE p."OrderId" = @id
            """, ("id", order.Id)));
        string[] events = ["order.created", "order.paid"];
        var notifications = await _client.WaitForNotificationsAsync(customer, order.Id, events);
        Assert.Equal(events.Length, notifications.Select(n => n.EventId).Distinct().Count());
    }

    [Fact]
    public async Task A_card_declined_at_placement_is_402_naming_the_stored_order_which_stays_payable_and_a_replay_answers_the_same()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);

        var key = Guid.NewGuid().ToString();
        var body = OrdersTestClient.OrderBody([(product.Id, 1)], payWith: ("card", "4000000000000002"));

        using var declined = await _client.PostOrderAsync(customer, body, key);

        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        var problem = await OrdersTestClient.ReadProblemAsync(declined);
        Assert.Equal(402, problem.GetProperty("status").GetInt32());
        var orderId = problem.GetProperty("orderId").GetGuid();
        Assert.StartsWith("pay_", problem.GetProperty("paymentReference").GetString());
        Assert.Equal(9, await _client.GetStockAsync(product.Id));
        using (var read = await _client.SendAsync(_client.Orders, HttpMethod.Get, $"/api/orders/{orderId}", customer))
        {
            Assert.Equal("pending", (await read.Content.ReadFromJsonAsync<OrderDto>())!.Status);
        }

        // A replay answers as the first request ended, without a second charge.
        using (var replayed = await _client.PostOrderAsync(customer, body, key))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, replayed.StatusCode);
            Assert.Equal(orderId, (await OrdersTestClient.ReadProblemAsync(replayed)).GetProperty("orderId").GetGuid());
        }
        Assert.Equal(1, await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM payments WHERE "OrderId" = @id""", ("id", orderId)));

        using var paid = await _client.PayAsync(customer, orderId);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("paid", (await paid.Content.ReadFromJsonAsync<OrderDto>())!.Status);
        using var replayedAfterPaying = await _client.PostOrderAsync(customer, body, key);
        Assert.Equal(HttpStatusCode.Created, replayedAfterPaying.StatusCode);
        Assert.Equal((orderId, "paid"), await replayedAfterPaying.Content.ReadFromJsonAsync<OrderDto>() is { } o ? (o.Id, o.Status) : default);
    }

    [Fact]
    public async Task An_order_whose_total_or_currency_is_not_the_one_expected_is_409_and_stores_reserves_and_charges_nothing()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10, price: 12.50m);
        var key = Guid.NewGuid().ToString();
        object Body(decimal expectedTotal, string? expectedCurrency = null) => new
        {
            items = new[] { new { productId = product.Id, quantity = 2 } }, shippingAddress = OrdersTestClient.Address,
            payment = new { method = "card", cardNumber = "4242424242424242" }, expectedTotal, expectedCurrency,
        };

        // Another amount, then the same amount in another currency.
        foreach (var (total, currency) in new[] { (20.00m, "EUR"), (25.00m, "USD") })
        {
            using var refused = await _client.PostOrderAsync(customer, Body(total, currency), key);

            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await OrdersTestClient.ReadProblemAsync(refused);
            Assert.Equal(("Prices Changed", 25.00m, "EUR"),
                (problem.GetProperty("title").GetString(), problem.GetProperty("total").GetDecimal(), problem.GetProperty("currency").GetString()));
            Assert.Contains($"not {total:0.00} {currency}", problem.GetProperty("detail").GetString());
            Assert.Equal(10, await _client.GetStockAsync(product.Id));
            Assert.Equal(0, await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM order_items WHERE "ProductId" = @p""", ("p", product.Id)));
        }

        // The claim was given back with the stock: the same key places the order at the total now expected.
        using var placed = await _client.PostOrderAsync(customer, Body(25.00m), key);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<OrderDto>())!;
        Assert.Equal(("paid", 25.00m), (order.Status, order.Total));
        Assert.Equal(8, await _client.GetStockAsync(product.Id));
        Assert.Equal(1, await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM payments WHERE "OrderId" = @id""", ("id", order.Id)));

        // A replay answers with the stored order, whatever total it expects.
        using var replay = await _client.PostOrderAsync(customer, Body(20.00m), key);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal((order.Id, 25.00m), await replay.Content.ReadFromJsonAsync<OrderDto>() is { } replayed ? (replayed.Id, replayed.Total) : default);

        foreach (var notAnAmount in new[] { -1m, 12.505m })
        {
            using var invalid = await _client.PostOrderAsync(customer, Body(notAnAmount), Guid.NewGuid().ToString());
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.True((await OrdersTestClient.ReadProblemAsync(invalid)).GetProperty("errors").TryGetProperty("expectedTotal", out _), $"{notAnAmount}");
        }
        foreach (var notACurrency in new[] { "eur", "EURO", "" })
        {
            using var invalid = await _client.PostOrderAsync(customer, Body(25.00m, notACurrency), Guid.NewGuid().ToString());
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.True((await OrdersTestClient.ReadProblemAsync(invalid)).GetProperty("errors").TryGetProperty("expectedCurrency", out _), notACurrency);
        }
        Assert.Equal(8, await _client.GetStockAsync(product.Id));
    }

    [Fact]
    public async Task Ten_identical_requests_create_one_order_and_reserve_once_a_retry_with_a_price_replays_it_and_another_body_is_422()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 50);
        var key = Guid.NewGuid().ToString();
        var body = OrdersTestClient.OrderBody((product.Id, 3));

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _client.PostOrderAsync(customer, body, key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<OrderDto>())!.Id));
        foreach (var r in responses) r.Dispose();
        Assert.Single(ids.Distinct());
        Assert.Equal(47, await _client.GetStockAsync(product.Id));
        Assert.Equal(1, await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM orders o JOIN order_items i ON i."OrderId" = o."Id" WHERE i."ProductId" = @p""", ("p", product.Id)));

        // A line's price is ignored (the catalog prices the order): a retry that carries one is the same request.
        using var priced = await _client.PostOrderAsync(customer,
            new { items = new[] { new { productId = product.Id, quantity = 3, price = 0.01m } }, shippingAddress = OrdersTestClient.Address }, key);
        Assert.Equal(HttpStatusCode.Created, priced.StatusCode);
        Assert.Equal(ids[0], (await priced.Content.ReadFromJsonAsync<OrderDto>())!.Id);

        using var reused = await _client.PostOrderAsync(customer, OrdersTestClient.OrderBody((product.Id, 4)), key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        await OrdersTestClient.ReadProblemAsync(reused);
        Assert.Equal(47, await _client.GetStockAsync(product.Id));
    }

    [Fact]
    public async Task A_hundred_concurrent_orders_for_a_stock_of_twenty_create_exactly_twenty()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 20);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            _client.PostOrderAsync(customer, OrdersTestClient.OrderBody((product.Id, 1)), Guid.NewGuid().ToString())));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        var summary = string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}"));
        var conflict = responses.FirstOrDefault(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.True(conflict is not null, summary);
        var problem = await OrdersTestClient.ReadProblemAsync(conflict);
        foreach (var r in responses) r.Dispose();
        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) == 20, summary);
        Assert.True(statuses.Count(s => s == HttpStatusCode.Conflict) == 80, summary);
        Assert.Contains(product.Id.ToString(), problem.GetProperty("detail").GetString());
        Assert.Equal(0, await _client.GetStockAsync(product.Id));
        Assert.Equal(20, await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM order_items WHERE "ProductId" = @p""", ("p", product.Id)));
    }

    [Fact]
    public async Task Another_users_order_is_404_but_an_admin_sees_it_and_lists_are_scoped()
    {
        var owner = await _client.CustomerTokenAsync();
        var stranger = await _client.CustomerTokenAsync();
        var admin = await _client.AdminTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);
        var order = await _client.CreateOrderAsync(owner, (product.Id, 1));

        using (var get = await _client.SendAsync(_client.Orders, HttpMethod.Get, $"/api/orders/{order.Id}", stranger)) Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using (var missing = await _client.SendAsync(_client.Orders, HttpMethod.Get, $"/api/orders/{Guid.NewGuid()}", stranger)) Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var pay = await _client.PayAsync(stranger, order.Id)) Assert.Equal(HttpStatusCode.NotFound, pay.StatusCode);
        using (var cancel = await _client.CancelAsync(stranger, order.Id)) Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        using (var anonymous = await _client.SendAsync(_client.Orders, HttpMethod.Get, $"/api/orders/{order.Id}", null)) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var asAdmin = await _client.SendAsync(_client.Orders, HttpMethod.Get, $"/api/orders/{order.Id}", admin)) Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);

        using var strangerList = await _client.SendAsync(_client.Orders, HttpMethod.Get, "/api/orders", stranger);
        Assert.Empty((await strangerList.Content.ReadFromJsonAsync<OrderPageDto>())!.Items);
        using var ownerList = await _client.SendAsync(_client.Orders, HttpMethod.Get, "/api/orders?status=pending&page=1", owner);
        Assert.Equal(order.Id, Assert.Single((await ownerList.Content.ReadFromJsonAsync<OrderPageDto>())!.Items).Id);
        using var ownerPaid = await _client.SendAsync(_client.Orders, HttpMethod.Get, "/api/orders?status=paid", owner);
        Assert.Empty((await ownerPaid.Content.ReadFromJsonAsync<OrderPageDto>())!.Items);
        using var adminList = await _client.SendAsync(_client.Orders, HttpMethod.Get, "/api/orders?pageSize=100", admin);
        Assert.True((await adminList.Content.ReadFromJsonAsync<OrderPageDto>())!.TotalCount >= 1);
        using var badStatus = await _client.SendAsync(_client.Orders, HttpMethod.Get, "/api/orders?status=lost", owner);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
    }

    [Fact]
    public async Task Each_bad_input_is_a_problem_and_writes_nothing()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);
        var p = product.Id;
        var cases = new (string Name, object Body, string? Key, HttpStatusCode Expected)[]
        {
            ("empty items", new { items = Array.Empty<object>(), shippingAddress = OrdersTestClient.Address }, "k", HttpStatusCode.BadRequest),
            ("quantity 0", OrdersTestClient.OrderBody((p, 0)), "k", HttpStatusCode.BadRequest),
            ("quantity -1", OrdersTestClient.OrderBody((p, -1)), "k", HttpStatusCode.BadRequest),
            ("quantity 101", OrdersTestClient.OrderBody((p, 101)), "k", HttpStatusCode.BadRequest),
            ("duplicate product", OrdersTestClient.OrderBody((p, 1), (p, 2)), "k", HttpStatusCode.BadRequest),
            ("too many lines", OrdersTestClient.OrderBody([.. Enumerable.Range(0, 51).Select(_ => (Guid.NewGuid(), 1))]), "k", HttpStatusCode.BadRequest),
            ("no address", new { items = new[] { new { productId = p, quantity = 1 } } }, "k", HttpStatusCode.BadRequest),
            ("no idempotency key", OrdersTestClient.OrderBody((p, 1)), null, HttpStatusCode.BadRequest),
            ("unknown product", OrdersTestClient.OrderBody((p, 1), (Guid.NewGuid(), 1)), "k", HttpStatusCode.UnprocessableEntity),
            ("more than in stock", OrdersTestClient.OrderBody((p, 11)), "k", HttpStatusCode.Conflict),
            ("payment by cash", OrdersTestClient.OrderBody([(p, 1)], payWith: ("cash", "4242424242424242")), "k", HttpStatusCode.BadRequest),
            ("card number too short", OrdersTestClient.OrderBody([(p, 1)], payWith: ("card", "4242")), "k", HttpStatusCode.BadRequest),
        };

        foreach (var (name, body, key, expected) in cases)
        {
            using var response = await _client.PostOrderAsync(customer, body, key is null ? null : $"{key}-{Guid.NewGuid()}");
            Assert.True(expected == response.StatusCode, $"{name}: expected {expected}, got {response.StatusCode}");
            var problem = await OrdersTestClient.ReadProblemAsync(response);
            Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
            if (expected == HttpStatusCode.BadRequest) Assert.True(problem.TryGetProperty("errors", out _), $"{name}: field errors");
        }

        using var malformed = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json") };
        malformed.Headers.Authorization = new("Bearer", customer);
        malformed.Headers.Add(ShopHeaders.IdempotencyKey, Guid.NewGuid().ToString());
        using var malformedResponse = await _client.Orders.SendAsync(malformed);
        Assert.Equal(HttpStatusCode.BadRequest, malformedResponse.StatusCode);

        Assert.Equal(10, await _client.GetStockAsync(p));
        Assert.Equal(0, await _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM order_items WHERE "ProductId" = @p""", ("p", p)));
    }

    [Fact]
    public async Task The_stored_notification_keeps_the_trace_id_of_the_order_request()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);
        var traceId = ActivityTraceId.CreateRandom();
        var traceParent = $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01";

        using var response = await _client.PostOrderAsync(customer, OrdersTestClient.OrderBody((product.Id, 1)), Guid.NewGuid().ToString(), traceParent);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<OrderDto>())!;

        var notifications = await _client.WaitForNotificationsAsync(customer, order.Id, ["order.created"]);
        Assert.All(notifications, n => Assert.Equal(traceId.ToString(), n.TraceId));
    }

    [Theory]
    [InlineData(ShopResources.OrderApi, "/api/orders/{id}/pay")]
    [InlineData(ShopResources.Notifier, "/api/notifications")]
    public async Task The_OpenAPI_document_describes_the_api(string resource, string path)
    {
        using var http = fixture.CreateHttpClient(resource);
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out _), $"{path} is documented");
    }

    private static async Task AssertConflictAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(409, (await OrdersTestClient.ReadProblemAsync(response)).GetProperty("status").GetInt32());
    }

    public void Dispose() => _client.Dispose();
}
