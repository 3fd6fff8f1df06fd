using Shop.Benchmarks.Mix;

namespace Shop.Tests.Bench;

/// <summary>The mix's storefront variant: whole pages of Shop.WebApp, chosen and addressed as a browser would.</summary>
public sealed class StorefrontMixTests
{
    private static readonly Catalog Products = new(["p-1", "p-2", "p-3"], ["p-1", "p-2"]);

    [Fact]
    public void The_storefront_variant_weighs_only_pages_and_the_default_mix_none()
    {
        var storefront = MixOptions.Parse(["--storefront"]);
        var api = MixOptions.Parse([]);

        Assert.Equal(new Dictionary<string, int> { ["page-catalog"] = 10, ["page-product"] = 10, ["page-search"] = 5, ["page-cart"] = 3 },
            storefront.Weights.Where(w => w.Value > 0).ToDictionary());
        Assert.True(storefront.HasPages);
        Assert.False(api.HasPages);
        Assert.DoesNotContain(api.Weights.Keys, StorefrontPages.Is);
    }

    [Fact]
    public void A_mix_may_weigh_pages_and_api_calls_together_and_names_the_known_operations_when_wrong()
    {
        var mixed = MixOptions.Parse(["--storefront", "--mix", "page-cart=2,browse=1"]);

        Assert.Equal(2, mixed.Weights["page-cart"]);
        Assert.Equal(1, mixed.Weights["browse"]);
        Assert.Equal(0, mixed.Weights["page-catalog"]);
        var unknown = Assert.Throws<ArgumentException>(() => MixOptions.Parse(["--mix", "page-checkout=1"]));
        Assert.Contains("page-search", unknown.Message);
    }

    [Fact]
    public void Against_a_running_system_the_pages_need_the_storefront_s_address()
    {
        var refused = Assert.Throws<ArgumentException>(() => MixOptions.Parse(["--target", "http://localhost:8080", "--storefront"]));
        Assert.Contains("--storefront-target", refused.Message);

        var given = MixOptions.Parse(["--target", "http://localhost:8080", "--storefront", "--storefront-target", "http://localhost:8081"]);
        Assert.Equal(new Uri("http://localhost:8081"), given.StorefrontTarget);
        // The API mix against a running gateway needs no storefront.
        Assert.Null(MixOptions.Parse(["--target", "http://localhost:8080"]).StorefrontTarget);
    }

    [Theory]
    [InlineData("page-catalog", "^/\\?page=([1-9]|1[0-9])$")]
    [InlineData("page-product", "^/products/p-[123]$")]
    [InlineData("page-search", "^/search\\?q=[a-z]+$")]
    [InlineData("page-cart", "^/cart$")]
    public void Each_page_is_a_get_of_the_storefront_s_own_address_for_it(string page, string pathPattern)
    {
        var random = new Random(14);
        for (var i = 0; i < 50; i++)
        {
            using var request = StorefrontPages.Request(page, Products, cartId: "Q2FydElkT2ZUd2VudHlUd28", random);
            Assert.Equal(HttpMethod.Get, request.Method);
            Assert.Matches(pathPattern, request.RequestUri!.OriginalString);
        }
    }

    [Fact]
    public void Only_the_cart_page_carries_the_anonymous_cart_s_cookie()
    {
        using var cart = StorefrontPages.Request(StorefrontPages.Cart, Products, "Q2FydElkT2ZUd2VudHlUd28", new Random(1));
        using var catalog = StorefrontPages.Request(StorefrontPages.Catalog, Products, "Q2FydElkT2ZUd2VudHlUd28", new Random(1));
        using var noCart = StorefrontPages.Request(StorefrontPages.Cart, Products, cartId: null, new Random(1));

        Assert.Equal("shop.cart=Q2FydElkT2ZUd2VudHlUd28", cart.Headers.GetValues("Cookie").Single());
        Assert.False(catalog.Headers.Contains("Cookie"));
        Assert.False(noCart.Headers.Contains("Cookie"));
        Assert.Throws<ArgumentOutOfRangeException>(() => StorefrontPages.Request("browse", Products, null, new Random(1)));
    }
}
