using System.Text.Json;
using Shop.Tests.Errors;
using Shop.OrderApi.Services;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.OpenApi;
using Shop.Tests.Infrastructure;
using Shop.Tests.OpenApi;
using Shop.Tests.Orders;
using Shop.Tests.Products;

namespace Shop.Tests.Basket;

[Collection(ShopCollection.Name)]
public sealed class BasketCheckoutTests(ShopAppFixture fixture) : IDisposable
{
    private const string AcceptedCard = "4242424242424242", DeclinedCard = PaymentOptions.DecliningTestCard;

    private readonly BasketTestClient _client = new(fixture);
    private readonly OrdersTestClient _orders = new(fixture);

    [Fact]
    public async Task Two_concurrent_checkouts_of_one_cart_make_one_order_and_clear_the_cart()
    {
        var (product, token) = await ShopperWithCartAsync(quantity: 2, price: 7.00m);

        var orders = await AllAtOnce.RunAsync(2, async _ =>
        {
            using var response = await _client.CheckoutAsync(token);
            return await ReadCreatedAsync(response);
        });

        Assert.Equal(orders[0].GetProperty("orderId").GetGuid(), orders[1].GetProperty("orderId").GetGuid());
        Assert.Single(orders, o => o.GetProperty("replayed").GetBoolean());
        Assert.Equal(14.00m, orders[0].GetProperty("total").GetDecimal());
        Assert.Equal(1, await _client.CountOrdersAsync(token));
        Assert.Equal(8, await ProductApiTestContext.GetStockFromDatabaseAsync(fixture, product.Id));
        Assert.Empty((await _client.GetAsync(token: token)).Lines);
    }

    [Fact]
    public async Task A_checkout_repeated_after_the_first_cleared_the_cart_replays_the_same_order()
    {
        var (product, token) = await ShopperWithCartAsync(quantity: 1, price: 3.00m);

        using var first = await _client.CheckoutAsync(token);
        var placed = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Empty((await _client.GetAsync(token: token)).Lines);

        using var repeated = await _client.CheckoutAsync(token);
        var replayed = await ReadCreatedAsync(repeated);

        Assert.Equal(placed.GetProperty("orderId").GetGuid(), replayed.GetProperty("orderId").GetGuid());
        Assert.True(replayed.GetProperty("replayed").GetBoolean());
        Assert.Equal(1, await _client.CountOrdersAsync(token));
        Assert.Equal(9, await ProductApiTestContext.GetStockFromDatabaseAsync(fixture, product.Id));
    }

    [Fact]
    public async Task A_checkout_with_a_card_pays_the_order_in_the_same_request_and_clears_the_cart()
    {
        var (product, token) = await ShopperWithCartAsync(quantity: 2, price: 4.00m);

        using var response = await _client.CheckoutPayingAsync(token, AcceptedCard);

        var placed = await ReadCreatedAsync(response);
        Assert.Equal(("paid", 8.00m), (placed.GetProperty("status").GetString(), placed.GetProperty("total").GetDecimal()));
        Assert.Equal("paid", await _client.OrderStatusAsync(token, placed.GetProperty("orderId").GetGuid()));
        Assert.Empty((await _client.GetAsync(token: token)).Lines);
        Assert.Equal(8, await ProductApiTestContext.GetStockFromDatabaseAsync(fixture, product.Id));
    }

    [Fact]
    public async Task A_declined_checkout_names_its_pending_order_clears_the_cart_and_a_repeat_never_charges()
    {
        var (product, token) = await ShopperWithCartAsync(quantity: 1, price: 6.00m);

        using var declined = await _client.CheckoutPayingAsync(token, DeclinedCard);

        var problem = await GatewayProblemAssert.IsSafeProblemAsync(declined, HttpStatusCode.PaymentRequired);
        var orderId = problem.GetProperty("orderId").GetGuid();
        // The answer is what the OpenAPI document declares for a 402, member for member.
        var (declared, required) = OpenApiDocuments.Schema("Shop.BasketApi/Shop.BasketApi.json", nameof(PaymentDeclinedProblem));
        var members = problem.EnumerateObject().Select(m => m.Name).ToHashSet();
        Assert.Subset(declared, members);
        Assert.Superset(required, members);
        Assert.DoesNotContain(DeclinedCard, problem.ToString());
        Assert.Equal("pending", await _client.OrderStatusAsync(token, orderId));
        // The order holds the items now: the cart is checked out as for a paid order.
        Assert.Empty((await _client.GetAsync(token: token)).Lines);

        // A repeated submit of that cart replays the decline, whatever card it carries: no second charge, no second order.
        using var repeated = await _client.CheckoutPayingAsync(token, AcceptedCard);
        var again = await GatewayProblemAssert.IsSafeProblemAsync(repeated, HttpStatusCode.PaymentRequired);
        Assert.Equal(orderId, again.GetProperty("orderId").GetGuid());
        Assert.Equal(problem.GetProperty("paymentReference").GetString(), again.GetProperty("paymentReference").GetString());
        Assert.Equal(1, await PaymentAttemptsAsync(orderId));
        Assert.Equal("pending", await _client.OrderStatusAsync(token, orderId));
        Assert.Equal(1, await _client.CountOrdersAsync(token));
        Assert.Equal(9, await ProductApiTestContext.GetStockFromDatabaseAsync(fixture, product.Id));

        // Paid on its own, the order is what a further repeat answers.
        using (var pay = await _orders.PayAsync(token, orderId, AcceptedCard))
        {
            Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
        }
        using var afterPaying = await _client.CheckoutPayingAsync(token, AcceptedCard);
        var replayed = await ReadCreatedAsync(afterPaying);
        Assert.Equal((orderId, "paid", true),
            (replayed.GetProperty("orderId").GetGuid(), replayed.GetProperty("status").GetString(), replayed.GetProperty("replayed").GetBoolean()));
    }

    [Fact]
    public async Task Two_paying_submits_at_once_charge_once_and_both_name_the_one_order()
    {
        var (product, token) = await ShopperWithCartAsync(quantity: 1, price: 5.00m);

        var answers = await AllAtOnce.RunAsync(2, async _ =>
        {
            using var response = await _client.CheckoutPayingAsync(token, AcceptedCard);
            var body = await response.Content.ReadAsStringAsync();
            // 201 with the paid order, or, while the other submit's charge runs, 409 "Payment In Progress" naming it.
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.GetProperty("orderId").GetGuid();
        });

        Assert.Equal(answers[0], answers[1]);
        Assert.Equal("paid", await _client.OrderStatusAsync(token, answers[0]));
        Assert.Equal(1, await PaymentAttemptsAsync(answers[0]));
        Assert.Equal(1, await _client.CountOrdersAsync(token));
        Assert.Empty((await _client.GetAsync(token: token)).Lines);
    }

    [Fact]
    public async Task A_cart_changed_since_it_was_reviewed_is_refused_and_nothing_is_ordered()
    {
        var product = await _client.CreateProductAsync(stock: 10, price: 2.00m);
        var token = await _client.CustomerTokenAsync();
        var reviewed = await _client.SetLineAsync(product.Id, 1, token: token);
        var changed = await _client.SetLineAsync(product.Id, 3, token: token);

        using var stale = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token,
            body: new { shippingAddress = OrdersTestClient.Address, version = reviewed.Version });

        var problem = await GatewayProblemAssert.IsSafeProblemAsync(stale, HttpStatusCode.Conflict);
        Assert.Equal(("Cart Changed", changed.Version), (problem.GetProperty("title").GetString(), problem.GetProperty("version").GetInt64()));
        Assert.Equal(0, await _client.CountOrdersAsync(token));
        Assert.Equal(3, Assert.Single((await _client.GetAsync(token: token)).Lines).Quantity);

        using var current = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token,
            body: new { shippingAddress = OrdersTestClient.Address, version = changed.Version });
        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
        Assert.Equal(6.00m, (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task A_price_changed_since_the_cart_was_reviewed_is_refused_with_the_new_subtotal_and_nothing_is_charged()
    {
        var (product, token) = await ShopperWithCartAsync(quantity: 2, price: 10.00m);
        var reviewed = await _client.GetAsync(token: token);
        await ProductApiTestContext.SetPriceAsync(await _client.AdminAsync(), product, 12m);

        using var stale = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token, body: new
        {
            shippingAddress = OrdersTestClient.Address, payment = new { method = "card", cardNumber = AcceptedCard },
            version = reviewed.Version, subtotal = reviewed.Subtotal,
        });

        var problem = await GatewayProblemAssert.IsSafeProblemAsync(stale, HttpStatusCode.Conflict);
        Assert.Equal(("Prices Changed", 20.00m, 24.00m, product.Currency),
            (problem.GetProperty("title").GetString(), reviewed.Subtotal, problem.GetProperty("subtotal").GetDecimal(), problem.GetProperty("currency").GetString()));
        Assert.Equal(0, await _client.CountOrdersAsync(token));
        Assert.Equal(10, await ProductApiTestContext.GetStockFromDatabaseAsync(fixture, product.Id));
        Assert.Single((await _client.GetAsync(token: token)).Lines);

        using var current = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token, body: new
        {
            shippingAddress = OrdersTestClient.Address, payment = new { method = "card", cardNumber = AcceptedCard },
            version = reviewed.Version, subtotal = 24.00m,
        });
        var placed = await ReadCreatedAsync(current);
        Assert.Equal(("paid", 24.00m), (placed.GetProperty("status").GetString(), placed.GetProperty("total").GetDecimal()));
    }

    [Fact]
    public async Task A_currency_changed_since_the_cart_was_reviewed_is_refused_though_the_amount_is_the_same()
    {
        var (product, token) = await ShopperWithCartAsync(quantity: 2, price: 10.00m);
        var reviewed = await _client.GetAsync(token: token);
        var other = product.Currency == "USD" ? "GBP" : "USD";
        await ProductApiTestContext.SetPriceAsync(await _client.AdminAsync(), product, 10.00m, other);
        object Checkout(string currency) => new
        {
            shippingAddress = OrdersTestClient.Address, payment = new { method = "card", cardNumber = AcceptedCard },
            version = reviewed.Version, subtotal = reviewed.Subtotal, currency,
        };

        using var stale = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token, body: Checkout(product.Currency));

        var problem = await GatewayProblemAssert.IsSafeProblemAsync(stale, HttpStatusCode.Conflict);
        Assert.Equal(("Prices Changed", 20.00m, other),
            (problem.GetProperty("title").GetString(), problem.GetProperty("subtotal").GetDecimal(), problem.GetProperty("currency").GetString()));
        Assert.Contains($"not 20.00 {product.Currency}", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await _client.CountOrdersAsync(token));
        Assert.Equal(10, await ProductApiTestContext.GetStockFromDatabaseAsync(fixture, product.Id));

        using var current = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token, body: Checkout(other));
        var placed = await ReadCreatedAsync(current);
        Assert.Equal(("paid", 20.00m, other),
            (placed.GetProperty("status").GetString(), placed.GetProperty("total").GetDecimal(), placed.GetProperty("currency").GetString()));
    }

    [Fact]
    public async Task A_subtotal_or_currency_that_is_not_an_amount_in_cents_or_an_ISO_4217_code_is_a_field_error_and_nothing_is_ordered()
    {
        var (product, token) = await ShopperWithCartAsync(quantity: 1, price: 5.00m);

        foreach (var subtotal in new[] { -5.00m, 4.999m })
        {
            using var response = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token,
                body: new { shippingAddress = OrdersTestClient.Address, subtotal });
            var problem = await GatewayProblemAssert.IsSafeProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("subtotal", out _), $"{subtotal}: {problem}");
        }
        foreach (var currency in new[] { "eur", "EURO" })
        {
            using var response = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token,
                body: new { shippingAddress = OrdersTestClient.Address, subtotal = 5.00m, currency });
            var problem = await GatewayProblemAssert.IsSafeProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("currency", out _), $"{currency}: {problem}");
        }

        Assert.Equal(0, await _client.CountOrdersAsync(token));
        Assert.Equal(10, await ProductApiTestContext.GetStockFromDatabaseAsync(fixture, product.Id));
        Assert.Single((await _client.GetAsync(token: token)).Lines);
    }

    /// <summary>A new product (stock 10) and a signed-in shopper whose cart holds <paramref name="quantity"/> of it.</summary>
    private async Task<(ProductDto Product, string Token)> ShopperWithCartAsync(int quantity, decimal price = 12.50m)
    {
        var product = await _client.CreateProductAsync(stock: 10, price: price);
        var token = await _client.CustomerTokenAsync();
        await _client.SetLineAsync(product.Id, quantity, token: token);
        return (product, token);
    }

    /// <summary>The body of a 201 (the assertion shows any other answer with its body).</summary>
    private static async Task<JsonElement> ReadCreatedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<long> PaymentAttemptsAsync(Guid orderId) =>
        _orders.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM payments WHERE "OrderId" = @id""", ("id", orderId));

    [Fact]
    public async Task A_checkout_after_the_checked_out_cart_was_deleted_is_an_empty_basket()
    {
        var (product, token) = await ShopperWithCartAsync(quantity: 1);
        using var first = await _client.CheckoutAsync(token);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using (var delete = await _client.SendAsync(HttpMethod.Delete, "/api/basket", token: token))
        {
            Assert.True(delete.IsSuccessStatusCode, $"{(int)delete.StatusCode}");
        }
        using var afterDelete = await _client.CheckoutAsync(token);

        var problem = await GatewayProblemAssert.IsSafeProblemAsync(afterDelete, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Empty Basket", problem.GetProperty("title").GetString());
        Assert.Equal(1, await _client.CountOrdersAsync(token));
    }

    [Fact]
    public async Task An_out_of_stock_refusal_passes_through_and_keeps_the_cart()
    {
        var product = await _client.CreateProductAsync(stock: 5);
        var token = await _client.CustomerTokenAsync();
        var before = await _client.SetLineAsync(product.Id, 2, token: token);
        var admin = await _client.AdminAsync();
        using (var stock = await admin.PutAsJsonAsync($"/api/products/{product.Id}/stock", new { stock = 0 }))
        {
            Assert.Equal(HttpStatusCode.OK, stock.StatusCode);
        }

        using var response = await _client.CheckoutAsync(token);

        var problem = await GatewayProblemAssert.IsSafeProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains(product.Id.ToString(), problem.ToString(), StringComparison.OrdinalIgnoreCase);
        var after = await _client.GetAsync(token: token);
        var line = Assert.Single(after.Lines);
        Assert.Equal((2, 0, true, before.Version), (line.Quantity, line.Available, line.OutOfStock, after.Version));
        Assert.Equal(0, await _client.CountOrdersAsync(token));

        // Back in stock, the same cart checks out.
        using (var restock = await admin.PutAsJsonAsync($"/api/products/{product.Id}/stock", new { stock = 5 }))
        {
            Assert.Equal(HttpStatusCode.OK, restock.StatusCode);
        }
        using var retry = await _client.CheckoutAsync(token);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Empty((await _client.GetAsync(token: token)).Lines);
    }

    [Fact]
    public async Task Order_apis_field_errors_pass_through_and_an_empty_cart_is_refused()
    {
        var product = await _client.CreateProductAsync();
        var token = await _client.CustomerTokenAsync();

        using var empty = await _client.CheckoutAsync(token);
        await _client.SetLineAsync(product.Id, 1, token: token);
        using var noCity = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout", token: token,
            body: new { shippingAddress = new { name = "Ann", line1 = "1 Main Street", postalCode = "12345", country = "DE" } });
        using var anonymous = await _client.SendAsync(HttpMethod.Post, "/api/basket/checkout",
            body: new { shippingAddress = OrdersTestClient.Address });
        using var shortCard = await _client.CheckoutPayingAsync(token, "4242");

        var emptyProblem = await GatewayProblemAssert.IsSafeProblemAsync(empty, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Empty Basket", emptyProblem.GetProperty("title").GetString());
        await GatewayProblemAssert.NamesFieldAsync(noCity, "shippingAddress.city");
        await GatewayProblemAssert.IsSafeProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        await GatewayProblemAssert.NamesFieldAsync(shortCard, "payment.cardNumber");
        Assert.Single((await _client.GetAsync(token: token)).Lines);
        Assert.Equal(0, await _client.CountOrdersAsync(token));
    }

    public void Dispose()
    {
        _client.Dispose();
        _orders.Dispose();
    }
}
