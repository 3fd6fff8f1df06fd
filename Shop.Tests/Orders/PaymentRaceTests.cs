using Npgsql;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>No payment is ever taken without an order that records it.</summary>
[Collection(ShopCollection.Name)]
public sealed class PaymentRaceTests(ShopAppFixture fixture) : IDisposable
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);
    private readonly OrdersTestClient _client = new(fixture);

    [Fact]
    public async Task Thirty_concurrent_pay_and_cancel_pairs_each_end_paid_or_cancelled_uncharged_or_cancelled_refunded()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 100);
        var orders = new List<OrderDto>();
        for (var i = 0; i < 30; i++) orders.Add(await _client.CreateOrderAsync(customer, (product.Id, 1)));

        var outcomes = await AllAtOnce.RunAsync(orders, async (order, _) =>
        {
            var pay = SendAsync(() => _client.PayAsync(customer, order.Id));
            var cancel = SendAsync(() => _client.CancelAsync(customer, order.Id));
            return (Order: order, Pay: await pay, Cancel: await cancel);
        });

        foreach (var (order, pay, cancel) in outcomes)
        {
            Assert.Contains(pay, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict });
            Assert.Contains(cancel, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict });
            Assert.False(pay == HttpStatusCode.Conflict && cancel == HttpStatusCode.Conflict, $"order {order.Id}: both refused");
            var stored = await GetOrderAsync(customer, order.Id);
            var ledger = await LedgerAsync(order.Id);
            var captured = ledger.Count(e => e.Status == "Captured");
            var refunded = ledger.Where(e => e.Status == "Refunded").ToList();
            Assert.False(stored.PaymentInProgress);
            if (cancel == HttpStatusCode.Conflict)
            {
                // Paid: the cancel lost.
                Assert.Equal("paid", stored.Status);
                Assert.Equal(1, captured);
                Assert.Empty(refunded);
                Assert.Equal(ledger.Single(e => e.Status == "Captured").Reference, stored.PaymentReference);
            }
            else if (pay == HttpStatusCode.Conflict)
            {
                // Cancelled before any charge.
                Assert.Equal("cancelled", stored.Status);
                Assert.Equal(0, captured);
                Assert.Empty(refunded);
                Assert.Null(stored.RefundReference);
            }
            else
            {
                // Paid, then cancelled: the charge was refunded, and the refund is recorded on both sides.
                Assert.Equal("cancelled", stored.Status);
                Assert.Equal(0, captured);
                Assert.Equal(refunded.Single().RefundReference, stored.RefundReference);
                Assert.True(stored.Refunded);
            }
            Assert.Equal(await PaymentsAsync(order.Id, "Captured"), captured);
            Assert.Equal(await PaymentsAsync(order.Id, "Refunded"), refunded.Count);
        }
        var paid = outcomes.Count(o => o.Cancel == HttpStatusCode.Conflict);
        await Eventually.ReturnsAsync(() => _client.GetStockAsync(product.Id), stock => stock == 100 - paid, SettleTimeout,
            $"the stock of the {30 - paid} cancelled orders comes back");
    }

    [Fact]
    public async Task A_payment_left_pending_by_a_dead_request_is_settled_from_the_provider_ledger()
    {
        var customer = await _client.CustomerTokenAsync();
        var product = await _client.CreateProductAsync(stock: 10);
        var neverCharged = await _client.CreateOrderAsync(customer, (product.Id, 1));
        var charged = await _client.CreateOrderAsync(customer, (product.Id, 1));
        // What a process killed mid-payment leaves: the recorded attempt and the order held for it; for the second
        // order the provider had charged before the process died.
        var neverChargedPayment = await SeedPendingPaymentAsync(neverCharged);
        var chargedPayment = await SeedPendingPaymentAsync(charged);
        await _client.ScalarAsync(ShopResources.OrdersDb, """
            INSERT INTO simulated_provider_ledger ("PaymentId", "Amount", "Currency", "Status", "Reference", "CreatedAt")
            VALUES (@id, @amount, 'EUR', 'Captured', 'pay_seeded', now() - interval '1 hour') RETURNING 1
            """, ("id", chargedPayment), ("amount", charged.Total));

        Assert.True((await GetOrderAsync(customer, neverCharged.Id)).PaymentInProgress);
        using (var cancel = await _client.CancelAsync(customer, neverCharged.Id))
        {
            Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
            Assert.NotNull(cancel.Headers.RetryAfter);
        }

        await using (await fixture.OverrideSettingsAsync(("Orders:Recovery:SweepInterval", "00:00:01")))
        {
            var paid = await Eventually.ReturnsAsync(() => GetOrderAsync(customer, charged.Id), o => o.Status == "paid", SettleTimeout,
                "the charged attempt pays the order");
            Assert.Equal("pay_seeded", paid.PaymentReference);
            await Eventually.ReturnsAsync(() => GetOrderAsync(customer, neverCharged.Id), o => !o.PaymentInProgress, SettleTimeout,
                "the attempt never charged is voided and the order released");
        }
        Assert.Equal("pending", (await GetOrderAsync(customer, neverCharged.Id)).Status);
        Assert.Equal("Voided", (await LedgerAsync(neverCharged.Id)).Single().Status);
        Assert.Equal(1, await PaymentsAsync(neverCharged.Id, "Voided"));
        Assert.Equal(1, await PaymentsAsync(charged.Id, "Captured"));
        await _client.WaitForNotificationsAsync(customer, charged.Id, ["order.paid"]);

        // The voided order can be paid normally, with a new attempt.
        using (var pay = await _client.PayAsync(customer, neverCharged.Id)) Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
        Assert.Equal(1, await PaymentsAsync(neverCharged.Id, "Captured"));
        Assert.NotEqual(neverChargedPayment, (await LedgerAsync(neverCharged.Id)).Single(e => e.Status == "Captured").PaymentId);
    }

    private async Task<Guid> SeedPendingPaymentAsync(OrderDto order)
    {
        var paymentId = Guid.NewGuid();
        await _client.ScalarAsync(ShopResources.OrdersDb, """
            WITH payment AS (
                INSERT INTO payments ("Id", "OrderId", "Amount", "Currency", "Status", "CreatedAt", "UpdatedAt")
                VALUES (@payment, @order, @amount, 'EUR', 'Pending', now() - interval '1 hour', now() - interval '1 hour'))
            UPDATE orders SET "PaymentInProgressId" = @payment WHERE "Id" = @order RETURNING 1
            """, ("payment", paymentId), ("order", order.Id), ("amount", order.Total));
        return paymentId;
    }

    private sealed record LedgerEntry(Guid PaymentId, string Status, string Reference, string? RefundReference);

    private async Task<List<LedgerEntry>> LedgerAsync(Guid orderId)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(ShopResources.OrdersDb));
        await connection.OpenAsync();
        // Every provider entry of any attempt of this order: what the provider did with its money.
        await using var command = new NpgsqlCommand("""
            SELECT l."PaymentId", l."Status", l."Reference", l."RefundReference" FROM simulated_provider_ledger l
            JOIN payments p ON p."Id" = l."PaymentId" WHERE p."OrderId" = @order
            """, connection);
        command.Parameters.AddWithValue("order", orderId);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<LedgerEntry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new LedgerEntry(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        // No provider entry may exist that no payment of ours records.
        Assert.Equal(0, await _client.ScalarAsync(ShopResources.OrdersDb,
            """SELECT count(*) FROM simulated_provider_ledger l WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p."Id" = l."PaymentId")"""));
        return entries;
    }

    private Task<long> PaymentsAsync(Guid orderId, string status) =>
        _client.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM payments WHERE "OrderId" = @order AND "Status" = @status""", ("order", orderId), ("status", status));

    private static async Task<HttpStatusCode> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        using var response = await send();
        return response.StatusCode;
    }

    private async Task<OrderDto> GetOrderAsync(string token, Guid orderId)
    {
        using var response = await _client.SendAsync(_client.Orders, HttpMethod.Get, $"/api/orders/{orderId}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderDto>())!;
    }

    public void Dispose() => _client.Dispose();
}
