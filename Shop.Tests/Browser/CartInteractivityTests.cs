using Microsoft.Playwright;
using Shop.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.Browser;

/// <summary>The cart page's interactive part: a quantity change updates the lines, the subtotal and the header's badge in place.</summary>
[Collection(ShopCollection.Name)]
public sealed class CartInteractivityTests(ShopAppFixture fixture) : IDisposable
{
    private readonly StorefrontData _data = new(fixture);

    [Fact]
    public async Task Changing_a_quantity_on_the_cart_page_updates_subtotal_and_badge_without_loading_a_page()
    {
        var pen = await _data.ProductAsync("Pen", 2.50m, stock: 50);
        var ink = await _data.ProductAsync("Ink", 6.00m, stock: 50);
        await using var shopper = await _data.SignedInShopperAsync("interactive", [(pen, 1), (ink, 1)]);
        var (browser, page) = (shopper.Browser, shopper.Page);

        await page.GotoAsync("/cart");
        await Expect(page.Locator("table.cart[data-interactive='true']")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("cart-count")).ToHaveAttributeAsync("aria-live", "polite");
        // A page load (a form post) would drop this mark.
        await page.EvaluateAsync("() => { window.shopMark = 'kept'; }");

        await page.GetByLabel($"Quantity of {pen.Name}").FillAsync("4");
        await page.GetByLabel($"Quantity of {pen.Name}").BlurAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("5");
        await Expect(page.GetByText("Subtotal: 16.00")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("quantity-changed");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {ink.Name}" }).ClickAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("4");
        await Expect(page.GetByText("Subtotal: 10.00")).ToBeVisibleAsync();
        Assert.Equal("kept", await page.EvaluateAsync<string>("() => window.shopMark"));

        // basket-api holds what the page showed.
        await page.ReloadAsync();
        await Expect(page.GetByLabel($"Quantity of {pen.Name}")).ToHaveValueAsync("4");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = ink.Name })).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("after-reload");
    }

    public void Dispose() => _data.Dispose();
}
