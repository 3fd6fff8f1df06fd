using System.Diagnostics;
using Shop.ServiceDefaults.Http;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Basket;

[Collection(ShopCollection.Name)]
public sealed class BasketExpiryTests(ShopAppFixture fixture) : IDisposable
{
    private static readonly TimeSpan ShortIdle = TimeSpan.FromSeconds(2);
    private readonly BasketTestClient _client = new(fixture);

    [Fact]
    public async Task An_idle_anonymous_cart_expires_after_the_configured_time()
    {
        var product = await _client.CreateProductAsync();
        await using (await fixture.OverrideSettingsAsync(("Basket:AnonymousIdle", ShortIdle.ToString("c"))))
        {
            // The services reload the file within moments; each attempt writes a new cart, so the one that counts
            // was written under the short idle time.
            await Eventually.ReturnsAsync(async () =>
            {
                using var put = await _client.PutLineAsync(product.Id, 1);
                var cartId = put.Headers.GetValues(ShopHeaders.CartId).Single();
                Assert.Single((await BasketTestClient.ReadBasketAsync(put)).Lines);
                await Task.Delay(ShortIdle + TimeSpan.FromSeconds(1));
                return (await _client.GetAsync(cartId)).Lines.Count;
            }, count => count == 0, TimeSpan.FromSeconds(30), "a cart written under a 2 s idle time is gone 3 s later");
        }

        // Restored: a cart outlives the short idle time again (carts of the other tests must not expire).
        await Eventually.ReturnsAsync(async () =>
        {
            using var put = await _client.PutLineAsync(product.Id, 1);
            var cartId = put.Headers.GetValues(ShopHeaders.CartId).Single();
            await Task.Delay(ShortIdle + TimeSpan.FromSeconds(1));
            return (await _client.GetAsync(cartId)).Lines.Count;
        }, count => count == 1, TimeSpan.FromSeconds(30), "the shipped idle time is back");
    }

    [Fact]
    public async Task A_write_slides_a_signed_in_carts_expiry()
    {
        var idle = TimeSpan.FromSeconds(4);
        var product = await _client.CreateProductAsync();
        var restore = await fixture.OverrideSettingsAsync(("Basket:SignedInIdle", idle.ToString("c")));
        string outcome;
        try
        {
            // Each attempt uses a new shopper. A second write 2.5 s after the first must keep the cart past the first
            // write's expiry, and the cart must then expire idle. An attempt whose writes ran before the services
            // reloaded the setting (the cart never expires) or whose requests were too slow to tell is repeated.
            outcome = await Eventually.ReturnsAsync(async () =>
            {
                var token = await _client.CustomerTokenAsync();
                var clock = Stopwatch.StartNew();
                await _client.SetLineAsync(product.Id, 1, token: token);
                var afterFirst = clock.Elapsed;
                await Task.Delay(TimeSpan.FromSeconds(2.5));
                var beforeSecond = clock.Elapsed;
                await _client.SetLineAsync(product.Id, 2, token: token);
                var afterSecond = clock.Elapsed;
                await DelayUntilAsync(clock, afterFirst + idle + TimeSpan.FromSeconds(0.5));
                var kept = (await _client.GetAsync(token: token)).Lines.Count == 1;
                if (clock.Elapsed >= beforeSecond + idle) return "too slow to tell";
                if (!kept) return "lost before its slid expiry";
                await DelayUntilAsync(clock, afterSecond + idle + TimeSpan.FromSeconds(1));
                return (await _client.GetAsync(token: token)).Lines.Count == 0 ? "slid, then expired" : "setting not applied yet";
            }, o => o is "slid, then expired" or "lost before its slid expiry", TimeSpan.FromSeconds(60), "a cart written twice under a 4 s idle time");
        }
        finally
        {
            await restore.DisposeAsync();
        }

        Assert.Equal("slid, then expired", outcome);
        var shopper = await _client.CustomerTokenAsync();
        await Eventually.ReturnsAsync(async () =>
        {
            await _client.SetLineAsync(product.Id, 1, token: shopper);
            await Task.Delay(idle + TimeSpan.FromSeconds(1));
            return (await _client.GetAsync(token: shopper)).Lines.Count;
        }, count => count == 1, TimeSpan.FromSeconds(30), "the shipped idle time is back");
    }

    private static async Task DelayUntilAsync(Stopwatch clock, TimeSpan at)
    {
        var wait = at - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }

    public void Dispose() => _client.Dispose();
}
