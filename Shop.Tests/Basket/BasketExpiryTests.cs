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
                var cartId = put.Headers.GetValues(BasketTestClient.CartIdHeader).Single();
                Assert.Single((await BasketTestClient.ReadBasketAsync(put)).Lines);
                await Task.Delay(ShortIdle + TimeSpan.FromSeconds(1));
                return (await _client.GetAsync(cartId)).Lines.Count;
            }, count => count == 0, TimeSpan.FromSeconds(30), "a cart written under a 2 s idle time is gone 3 s later");
        }

        // Restored: a cart outlives the short idle time again (carts of the other tests must not expire).
        await Eventually.ReturnsAsync(async () =>
        {
            using var put = await _client.PutLineAsync(product.Id, 1);
            var cartId = put.Headers.GetValues(BasketTestClient.CartIdHeader).Single();
            await Task.Delay(ShortIdle + TimeSpan.FromSeconds(1));
            return (await _client.GetAsync(cartId)).Lines.Count;
        }, count => count == 1, TimeSpan.FromSeconds(30), "the shipped idle time is back");
    }

    public void Dispose() => _client.Dispose();
}
