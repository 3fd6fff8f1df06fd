using Shop.OrderApi.Model;

namespace Shop.Tests.Orders;

public sealed class OrderPricingTests
{
    private static readonly Guid Mug = Guid.NewGuid();
    private static readonly Guid Tea = Guid.NewGuid();

    private static Dictionary<Guid, CurrentProduct> Catalog(string teaCurrency = "EUR") => new()
    {
        [Mug] = new CurrentProduct(Mug, "MUG-1", "Mug", "9.99", "EUR"),
        [Tea] = new CurrentProduct(Tea, "TEA-1", "Tea", "3.335", teaCurrency),
    };

    [Fact]
    public void Prices_every_line_from_the_catalog_and_rounds_the_total_to_cents()
    {
        var priced = OrderPricing.Price([new RequestedLine(Mug, 3), new RequestedLine(Tea, 1)], Catalog());

        Assert.Equal("EUR", priced.Currency);
        Assert.Equal([9.99m, 3.335m], priced.Lines.Select(l => l.UnitPrice));
        Assert.Equal(33.31m, priced.Total); // 29.97 + 3.335 = 33.305 → 33.31
        Assert.Equal("Mug", priced.Lines[0].Name);
    }

    [Fact]
    public void Mixed_currencies_cannot_be_priced() =>
        Assert.Throws<PricingException>(() => OrderPricing.Price([new RequestedLine(Mug, 1), new RequestedLine(Tea, 1)], Catalog("USD")));

    [Fact]
    public void A_product_missing_from_the_catalog_cannot_be_priced() =>
        Assert.Throws<PricingException>(() => OrderPricing.Price([new RequestedLine(Guid.NewGuid(), 1)], Catalog()));

    [Theory]
    [InlineData("abc")]
    [InlineData("-1.00")]
    public void A_broken_catalog_price_is_refused(string price)
    {
        var catalog = Catalog();
        catalog[Mug] = catalog[Mug] with { Price = price };
        Assert.Throws<PricingException>(() => OrderPricing.Price([new RequestedLine(Mug, 1)], catalog));
    }
}
