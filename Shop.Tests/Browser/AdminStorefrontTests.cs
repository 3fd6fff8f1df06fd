using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shop.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.Browser;

/// <summary>
/// The storefront's admin area in a real browser: the seeded admin (the AppHost's admin-email / admin-password) signs in
/// through the sign-in form like anyone, in a browser session of its own beside the shopper's.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class AdminStorefrontTests(ShopAppFixture fixture) : IDisposable
{
    private readonly StorefrontData _data = new(fixture);

    [Fact]
    public async Task An_admin_ships_then_delivers_a_paid_order_and_the_shopper_sees_Shipped_then_Delivered()
    {
        var globe = await _data.ProductAsync("Globe", 42.00m, stock: 10);
        await using var shopper = await _data.SignedInShopperAsync("shipped", [(globe, 1)]);
        var (browser, page) = (shopper.Browser, shopper.Page);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveCountAsync(0);
        await page.GotoAsync("/checkout");
        await browser.PlaceOrderAsync("Mary Somerville", "3 Orbit Lane", "Edinburgh", "EH1 1AA", "GB");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you for your order" })).ToBeVisibleAsync();
        var orderId = Guid.Parse(Regex.Match(page.Url, "/orders/([0-9a-f-]{36})").Groups[1].Value);
        await browser.ScreenshotAsync("shopper-paid");

        var admin = await browser.OpenSessionAsync();
        var (adminEmail, adminPassword) = await _data.AdminSignInAsync();
        await browser.OpenSignInAsync(adminEmail, adminPassword, admin);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await admin.GetByRole(AriaRole.Navigation, new() { Name = "Admin" }).GetByRole(AriaRole.Link, new() { Name = "Orders" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "All orders", Level = 1 })).ToBeVisibleAsync();
        // The list streams in after the page; its update must leave a status chosen before it arrives.
        await admin.GetByLabel("Status").SelectOptionAsync("paid");
        await Expect(admin.GetByText("Loading orders…")).ToHaveCountAsync(0);
        await Expect(admin.GetByLabel("Status")).ToHaveValueAsync("paid");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        // The unfiltered list shows the row as Paid too: only the filtered page's form returns to the filter after Ship.
        await Expect(admin).ToHaveURLAsync(new Regex(@"/admin/orders\?status=paid$"));
        var row = admin.Locator($"tr[data-order-id='{orderId}']");
        await Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        await browser.ScreenshotAsync("admin-paid-orders", admin);

        await row.GetByRole(AriaRole.Button, new() { Name = "Ship" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"Order {orderId.ToString()[^8..]} is now shipped");
        // Shipped, it left the "paid" filter; under "shipped" it offers the next step.
        await Expect(row).ToHaveCountAsync(0);
        await admin.GotoAsync("/admin/orders?status=shipped");
        await Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Shipped");
        await browser.ScreenshotAsync("admin-shipped", admin);

        await page.GotoAsync($"/orders/{orderId}");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Shipped");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel order" })).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("shopper-sees-shipped");

        await row.GetByRole(AriaRole.Button, new() { Name = "Mark delivered" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"Order {orderId.ToString()[^8..]} is now delivered");
        await page.GotoAsync("/orders");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Delivered");
        await browser.ScreenshotAsync("shopper-sees-delivered");
    }

    [Fact]
    public async Task A_shopper_sees_no_admin_link_and_is_refused_every_admin_page_with_403()
    {
        var shopper = await _data.ShopperAsync("not-admin");

        await using var browser = await StorefrontBrowser.StartAsync(fixture);
        var page = browser.Page;

        // Anonymous: sent to sign in first.
        await page.GotoAsync("/admin/orders");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await browser.SignInAsync(shopper.Email, shopper.Password);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveCountAsync(0);

        foreach (var path in new[] { "/admin", "/admin/orders", "/admin/products", "/admin/products/new" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Admin sections" })).ToHaveCountAsync(0);
        }
        await browser.ScreenshotAsync("shopper-refused");

        // The ship action itself, posted by a shopper with a valid antiforgery token (the sign-out form's), is refused too.
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.InputValueAsync();
        var post = await page.APIRequest.PostAsync($"/admin/orders/{Guid.NewGuid()}/status", new()
        {
            Form = page.APIRequest.CreateFormData().Set("status", "shipped").Set("__RequestVerificationToken", token),
            MaxRedirects = 0,
        });
        Assert.Equal(302, post.Status);
        Assert.StartsWith("/account/denied", new Uri(new Uri("http://x"), post.Headers["location"]).PathAndQuery);
    }

    [Fact]
    public async Task An_admin_creates_a_product_sees_refused_fields_by_field_edits_it_and_sets_its_stock()
    {
        var word = StorefrontData.UniqueWord();
        var (adminEmail, adminPassword) = await _data.AdminSignInAsync();

        await using var browser = await StorefrontBrowser.StartAsync(fixture);
        var page = browser.Page;
        await browser.OpenSignInAsync(adminEmail, adminPassword);
        await page.GotoAsync("/admin/products");
        await page.GetByRole(AriaRole.Link, new() { Name = "New product" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New product", Level = 1 })).ToBeVisibleAsync();

        // product-api refuses the SKU and the currency: each message shows under its own field.
        await page.GetByLabel("SKU").FillAsync("has spaces!");
        await page.GetByLabel("Name").FillAsync($"{word} Telescope");
        await page.GetByLabel("Category").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.GetByLabel("Brand").FillAsync("Zeiss");
        await page.GetByLabel("Price").FillAsync("199.90");
        await page.GetByLabel("Currency (ISO 4217, e.g. EUR)").FillAsync("eu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create product" }).ClickAsync();
        await Expect(page.Locator("#sku-errors")).ToContainTextAsync("letters, digits");
        await Expect(page.Locator("#currency-errors")).ToContainTextAsync("ISO 4217");
        await Expect(page.Locator("#name-errors")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("field-errors");

        await page.GetByLabel("SKU").FillAsync(word);
        await page.GetByLabel("Currency (ISO 4217, e.g. EUR)").FillAsync("EUR");
        await page.GetByLabel("Initial stock").FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create product" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Edit {word} Telescope", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("stock")).ToHaveTextAsync("7");
        var productId = Guid.Parse(Regex.Match(page.Url, "/admin/products/([0-9a-f-]{36})").Groups[1].Value);

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"{word} Refractor");
        await page.GetByLabel("Price").FillAsync("149.50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save product" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Edit {word} Refractor", Level = 1 })).ToBeVisibleAsync();

        await page.GetByLabel("New stock").FillAsync("-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set stock" }).ClickAsync();
        await Expect(page.Locator("#newStock-errors")).ToContainTextAsync("negative");
        await page.GetByLabel("New stock").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set stock" }).ClickAsync();
        await Expect(page.GetByTestId("stock")).ToHaveTextAsync("3");
        await browser.ScreenshotAsync("edited");

        // What the shopper sees is product-api's record, changed.
        await page.GotoAsync($"/products/{productId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{word} Refractor", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("149.50 EUR")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("stock")).ToHaveTextAsync("Only 3 left");
    }

    public void Dispose() => _data.Dispose();
}
