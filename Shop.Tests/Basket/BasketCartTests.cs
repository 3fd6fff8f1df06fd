using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;
using Shop.Tests.Errors;
using Shop.Tests.Infrastructure;
using Shop.Tests.Products;
using StackExchange.Redis;

namespace Shop.Tests.Basket;

[Collection(ShopCollection.Name)]
public sealed class BasketCartTests(ShopAppFixture fixture) : IDisposable
{
    private readonly BasketTestClient _client = new(fixture);

    [Fact]
    public async Task An_anonymous_first_write_issues_a_cart_id_that_later_requests_use()
    {
        var product = await _client.CreateProductAsync(stock: 7, price: 4.25m);

        using var first = await _client.PutLineAsync(product.Id, 3);
        var created = await BasketTestClient.ReadBasketAsync(first);
        var cartId = first.Headers.GetValues(ShopHeaders.CartId).Single();

        Assert.Matches("^[A-Za-z0-9_-]{22}$", cartId);
        Assert.Equal(cartId, created.CartId);
        var line = Assert.Single(created.Lines);
        Assert.Equal((product.Id, product.Name, 4.25m, "EUR", 4.25m, "EUR", 3, 7, false, false),
            (line.ProductId, line.Name, line.UnitPrice, line.Currency, line.PriceWhenAdded, line.CurrencyWhenAdded, line.Quantity, line.Available,
                line.PriceChanged, line.OutOfStock));
        Assert.Equal((12.75m, 3, "EUR"), (created.Subtotal, created.ItemCount, created.Currency));

        var read = await _client.GetAsync(cartId);
        Assert.Equal(created.Version, read.Version);
        Assert.Equal(3, Assert.Single(read.Lines).Quantity);
        // Another visitor (no Cart-Id) has no cart.
        var stranger = await _client.GetAsync();
        Assert.Empty(stranger.Lines);
        Assert.Equal(0, stranger.Version);
        Assert.Null(stranger.CartId);

        // More than the 7 in stock: kept, and flagged.
        var updated = await _client.SetLineAsync(product.Id, 8, cartId);
        Assert.Equal((8, true), (Assert.Single(updated.Lines).Quantity, updated.Lines[0].OutOfStock));
        Assert.True(updated.Version > created.Version);
    }

    [Fact]
    public async Task Lines_are_removed_and_the_cart_cleared()
    {
        var a = await _client.CreateProductAsync();
        var b = await _client.CreateProductAsync();
        using var first = await _client.PutLineAsync(a.Id, 1);
        var cartId = first.Headers.GetValues(ShopHeaders.CartId).Single();
        var two = await _client.SetLineAsync(b.Id, 2, cartId);

        using var removed = await _client.SendAsync(HttpMethod.Delete, $"/api/basket/lines/{a.Id}", cartId);
        var afterRemove = await BasketTestClient.ReadBasketAsync(removed);
        using var cleared = await _client.SendAsync(HttpMethod.Delete, "/api/basket", cartId);

        Assert.Equal([a.Id, b.Id], two.Lines.Select(l => l.ProductId));
        Assert.Equal(b.Id, Assert.Single(afterRemove.Lines).ProductId);
        Assert.True(afterRemove.Version > two.Version);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty((await _client.GetAsync(cartId)).Lines);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-1)]
    public async Task A_quantity_outside_1_to_100_is_a_field_error(int quantity)
    {
        var product = await _client.CreateProductAsync();

        using var response = await _client.PutLineAsync(product.Id, quantity);

        await GatewayProblemAssert.NamesFieldAsync(response, "quantity");
        Assert.False(response.Headers.Contains(ShopHeaders.CartId), "a refused write issues no cart");
    }

    [Fact]
    public async Task An_unknown_product_is_a_404_problem_and_a_malformed_id_a_field_error()
    {
        var productId = Guid.NewGuid();
        using var unknown = await _client.PutLineAsync(productId, 1);
        using var malformed = await _client.SendAsync(HttpMethod.Put, "/api/basket/lines/not-a-uuid", body: new { quantity = 1 });

        var problem = await GatewayProblemAssert.IsSafeProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Equal(("Unknown Product", productId.ToString()), (problem.GetProperty("title").GetString(), problem.GetProperty("productId").GetString()));
        await GatewayProblemAssert.NamesFieldAsync(malformed, "productId");
    }

    [Theory]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_cart_id_is_a_field_error(string cartId)
    {
        var product = await _client.CreateProductAsync();

        using var read = await _client.SendAsync(HttpMethod.Get, "/api/basket", cartId);
        using var write = await _client.PutLineAsync(product.Id, 1, cartId);

        await GatewayProblemAssert.NamesFieldAsync(read, ShopHeaders.CartId);
        await GatewayProblemAssert.NamesFieldAsync(write, ShopHeaders.CartId);
    }

    [Fact]
    public async Task The_51st_line_is_refused_and_the_cart_keeps_50()
    {
        var ids = await SeededProductIdsAsync(51);
        using var first = await _client.PutLineAsync(ids[0], 1);
        var cartId = first.Headers.GetValues(ShopHeaders.CartId).Single();
        foreach (var id in ids[1..50])
        {
            using var response = await _client.PutLineAsync(id, 1, cartId);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var refused = await _client.PutLineAsync(ids[50], 1, cartId);
        // A line already in the cart may still change.
        var changed = await _client.SetLineAsync(ids[3], 9, cartId);

        await GatewayProblemAssert.NamesFieldAsync(refused, "productId");
        Assert.Equal(50, changed.Lines.Count);
        Assert.DoesNotContain(changed.Lines, l => l.ProductId == ids[50]);
        Assert.Equal(9, changed.Lines.Single(l => l.ProductId == ids[3]).Quantity);
    }

    [Fact]
    public async Task Twenty_concurrent_puts_to_one_cart_keep_every_line()
    {
        var ids = await SeededProductIdsAsync(21);
        using var first = await _client.PutLineAsync(ids[0], 1);
        var cartId = first.Headers.GetValues(ShopHeaders.CartId).Single();

        var statuses = await AllAtOnce.RunAsync(ids[1..], async (id, i) =>
        {
            using var response = await _client.PutLineAsync(id, i + 1, cartId);
            return response.StatusCode;
        });
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));

        var cart = await _client.GetAsync(cartId);
        Assert.Equal(21, cart.Lines.Count);
        Assert.Equal(ids.Order(), cart.Lines.Select(l => l.ProductId).Order());
        Assert.Equal(1 + Enumerable.Range(1, 20).Sum(), cart.ItemCount);
        Assert.Equal(21, cart.Version);
    }

    [Fact]
    public async Task Sign_in_merges_the_anonymous_cart_capped_and_deletes_it()
    {
        var a = await _client.CreateProductAsync();
        var b = await _client.CreateProductAsync();
        var c = await _client.CreateProductAsync();
        var token = await _client.CustomerTokenAsync();
        using var first = await _client.PutLineAsync(a.Id, 2);
        var cartId = first.Headers.GetValues(ShopHeaders.CartId).Single();
        await _client.SetLineAsync(b.Id, 99, cartId);
        await _client.SetLineAsync(c.Id, 4, cartId);
        await _client.SetLineAsync(a.Id, 3, token: token);
        var before = await _client.SetLineAsync(b.Id, 5, token: token);

        using var merge = await _client.SendAsync(HttpMethod.Post, "/api/basket/merge", token: token, body: new { cartId });
        var merged = await BasketTestClient.ReadBasketAsync(merge);
        using var again = await _client.SendAsync(HttpMethod.Post, "/api/basket/merge", token: token, body: new { cartId });
        var replayed = await BasketTestClient.ReadBasketAsync(again);

        Assert.Null(merged.CartId);
        Assert.Equal(5, merged.Lines.Single(l => l.ProductId == a.Id).Quantity);
        Assert.Equal(100, merged.Lines.Single(l => l.ProductId == b.Id).Quantity);
        Assert.Equal(4, merged.Lines.Single(l => l.ProductId == c.Id).Quantity);
        Assert.True(merged.Version > before.Version);
        Assert.Equal(merged.Version, replayed.Version);
        Assert.Equal(3, replayed.Lines.Count);
        Assert.Empty((await _client.GetAsync(cartId)).Lines);
        // Signed in, the Cart-Id header is ignored: the shopper's own cart is answered.
        Assert.Equal(3, (await _client.GetAsync(cartId, token)).Lines.Count);
    }

    [Fact]
    public async Task Merge_needs_a_signed_in_shopper_and_a_well_formed_cart_id()
    {
        var token = await _client.CustomerTokenAsync();

        using var anonymous = await _client.SendAsync(HttpMethod.Post, "/api/basket/merge", body: new { cartId = "AAAAAAAAAAAAAAAAAAAAAA" });
        using var malformed = await _client.SendAsync(HttpMethod.Post, "/api/basket/merge", token: token, body: new { cartId = "x" });

        await GatewayProblemAssert.IsSafeProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        await GatewayProblemAssert.NamesFieldAsync(malformed, "cartId");
    }

    [Fact]
    public async Task A_bad_token_is_a_401_not_an_anonymous_cart()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/api/basket", token: "not.a.token");

        await GatewayProblemAssert.IsSafeProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_price_change_after_adding_is_flagged()
    {
        var product = await _client.CreateProductAsync(price: 12.50m);
        var token = await _client.CustomerTokenAsync();
        await _client.SetLineAsync(product.Id, 2, token: token);

        await ProductApiTestContext.SetPriceAsync(await _client.AdminAsync(), product, 15m);

        var line = Assert.Single((await _client.GetAsync(token: token)).Lines);
        Assert.Equal((15m, 12.50m, true), (line.UnitPrice, line.PriceWhenAdded, line.PriceChanged));
        Assert.Equal(30m, (await _client.GetAsync(token: token)).Subtotal);
    }

    [Fact]
    public async Task A_line_stored_before_carts_kept_the_currency_reads_as_before_and_keeps_its_format()
    {
        var product = await _client.CreateProductAsync(price: 4.25m);
        using var first = await _client.PutLineAsync(product.Id, 1);
        var cartId = first.Headers.GetValues(ShopHeaders.CartId).Single();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync(ShopResources.Redis));
        await redis.GetDatabase().HashSetAsync($"shop:basket:anon:{cartId}", product.Id.ToString("N"), "2|4.25|1|Older name");

        var read = Assert.Single((await _client.GetAsync(cartId)).Lines);
        var updated = Assert.Single((await _client.SetLineAsync(product.Id, 3, cartId)).Lines);

        Assert.Equal((2, 4.25m, "EUR", (string?)null, false), (read.Quantity, read.PriceWhenAdded, read.Currency, read.CurrencyWhenAdded, read.PriceChanged));
        Assert.Equal((3, (string?)null, false), (updated.Quantity, updated.CurrencyWhenAdded, updated.PriceChanged));
    }

    [Fact]
    public async Task A_currency_change_at_the_same_amount_is_flagged()
    {
        var product = await _client.CreateProductAsync(price: 12.50m);
        var token = await _client.CustomerTokenAsync();
        await _client.SetLineAsync(product.Id, 1, token: token);

        await ProductApiTestContext.SetPriceAsync(await _client.AdminAsync(), product, 12.50m, "USD");

        var line = Assert.Single((await _client.GetAsync(token: token)).Lines);
        Assert.Equal((12.50m, "USD", 12.50m, "EUR", true), (line.UnitPrice, line.Currency, line.PriceWhenAdded, line.CurrencyWhenAdded, line.PriceChanged));
    }

    [Fact]
    public async Task A_product_in_another_currency_than_the_cart_is_a_409_naming_both_and_the_cart_is_unchanged()
    {
        var euros = await _client.CreateProductAsync(price: 12.50m);
        var dollars = await _client.CreateProductAsync(price: 9.00m);
        await ProductApiTestContext.SetPriceAsync(await _client.AdminAsync(), dollars, 9.00m, "USD");
        var token = await _client.CustomerTokenAsync();
        await _client.SetLineAsync(euros.Id, 1, token: token);

        using var refused = await _client.PutLineAsync(dollars.Id, 1, token: token);

        var problem = await GatewayProblemAssert.IsSafeProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal(("Other Currency", "USD", "EUR"),
            (problem.GetProperty("title").GetString(), problem.GetProperty("currency").GetString(), problem.GetProperty("cartCurrency").GetString()));
        Assert.Contains("priced in USD and the cart has lines in EUR", problem.GetProperty("detail").GetString());
        Assert.Equal([euros.Id], (await _client.GetAsync(token: token)).Lines.Select(l => l.ProductId));

        // The cart's own lines still change, and once they are gone the other currency is taken.
        Assert.Equal(2, Assert.Single((await _client.SetLineAsync(euros.Id, 2, token: token)).Lines).Quantity);
        using var removed = await _client.SendAsync(HttpMethod.Delete, $"/api/basket/lines/{euros.Id}", token: token);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal([dollars.Id], (await _client.SetLineAsync(dollars.Id, 1, token: token)).Lines.Select(l => l.ProductId));
    }

    [Fact]
    public async Task A_cart_repriced_into_two_currencies_has_no_subtotal_takes_no_new_line_cannot_be_checked_out_and_recovers_with_one_currency_left()
    {
        var kept = await _client.CreateProductAsync(price: 12.50m);
        var repriced = await _client.CreateProductAsync(price: 3.00m);
        var another = await _client.CreateProductAsync(price: 1.00m);
        var token = await _client.CustomerTokenAsync();
        await _client.SetLineAsync(kept.Id, 1, token: token);
        await _client.SetLineAsync(repriced.Id, 2, token: token);

        await ProductApiTestContext.SetPriceAsync(await _client.AdminAsync(), repriced, 3.00m, "USD");

        // 12.50 EUR and 6.00 USD do not add up to 18.50 of anything.
        var mixed = await _client.GetAsync(token: token);
        Assert.Equal(((decimal?)null, (string?)null, 3), (mixed.Subtotal, mixed.Currency, mixed.ItemCount));
        Assert.Equal(["EUR", "USD"], mixed.Lines.Select(l => l.Currency).Order());

        // A product in either currency would keep the cart mixed: refused, naming the other one.
        using var refused = await _client.PutLineAsync(another.Id, 1, token: token);
        var problem = await GatewayProblemAssert.IsSafeProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal(("Other Currency", "EUR", "USD"),
            (problem.GetProperty("title").GetString(), problem.GetProperty("currency").GetString(), problem.GetProperty("cartCurrency").GetString()));

        // order-api refuses to price an order in two currencies; the cart stays as it was.
        using var checkout = await _client.CheckoutAsync(token);
        var unpriced = await GatewayProblemAssert.IsSafeProblemAsync(checkout, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Cannot Price Order", unpriced.GetProperty("title").GetString());
        Assert.Equal(mixed.Version, (await _client.GetAsync(token: token)).Version);

        using var removed = await _client.SendAsync(HttpMethod.Delete, $"/api/basket/lines/{kept.Id}", token: token);
        var single = await BasketTestClient.ReadBasketAsync(removed);
        Assert.Equal((6.00m, "USD"), (single.Subtotal, single.Currency));
    }

    private async Task<Guid[]> SeededProductIdsAsync(int count)
    {
        using var page = JsonDocument.Parse(await _client.Gateway.GetStringAsync($"/api/products?page=1&pageSize={count}"));
        var ids = page.RootElement.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToArray();
        Assert.Equal(count, ids.Length);
        return ids;
    }

    public void Dispose() => _client.Dispose();
}
