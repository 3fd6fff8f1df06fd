using Microsoft.Playwright;
using Shop.Tests.Infrastructure;
using Shop.Tests.Products;
using Shop.Tests.Users;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.Browser;

/// <summary>The cart page's interactive part: a quantity change updates the lines, the subtotal and the header's badge in place.</summary>
[Collection(ShopCollection.Name)]
public sealed class CartInteractivityTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task Changing_a_quantity_on_the_cart_page_updates_subtotal_and_badge_without_loading_a_page()
    {
        using var admin = await ProductApiTestContext.AdminClientAsync(fixture, fixture.CreateHttpClient("gateway"));
        var word = "Zq" + Guid.NewGuid().ToString("N")[..8];
        var pen = await ProductApiTestContext.CreateProductAsync(admin, stock: 50, name: $"{word} Pen", price: 2.50m);
        var ink = await ProductApiTestContext.CreateProductAsync(admin, stock: 50, name: $"{word} Ink", price: 6.00m);
        using var users = new UsersApiClient(fixture);
        var shopper = await users.RegisterAsync(UsersApiClient.UniqueEmail("interactive"));

        await using var browser = await StorefrontBrowser.StartAsync(fixture, nameof(Changing_a_quantity_on_the_cart_page_updates_subtotal_and_badge_without_loading_a_page));
        var page = browser.Page;
        await page.GotoAsync("/account/login");
        await browser.SignInAsync(shopper.Email, shopper.Password);
        foreach (var product in new[] { pen, ink })
        {
            await page.GotoAsync($"/products/{product.Id}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
            await Expect(page.GetByText("Added to your cart")).ToBeVisibleAsync();
        }

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
}
