using Shop.ServiceDefaults.Http;

namespace Shop.Tests.ServiceDefaults;

/// <summary>The wire names of Shop's own headers: clients outside this repository send and read them as written here.</summary>
public sealed class ShopHeadersTests
{
    [Fact]
    public void The_idempotency_key_header_keeps_its_wire_name() => Assert.Equal("Idempotency-Key", ShopHeaders.IdempotencyKey);

    [Fact]
    public void The_idempotent_replayed_header_keeps_its_wire_name() => Assert.Equal("Idempotent-Replayed", ShopHeaders.IdempotentReplayed);

    [Fact]
    public void The_cart_id_header_keeps_its_wire_name() => Assert.Equal("Cart-Id", ShopHeaders.CartId);

    [Fact]
    public void The_storefront_secret_header_keeps_its_wire_name() => Assert.Equal("X-Storefront-Secret", ShopHeaders.StorefrontSecret);
}
