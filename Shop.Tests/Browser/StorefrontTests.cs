using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shop.Tests.Infrastructure;
using Shop.Tests.Products;
using Shop.Tests.Users;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.Browser;

/// <summary>
/// A shopper in a real browser on the storefront (webapp → gateway → services) of the test app: each test makes its
/// own products (a unique word in their names, so search finds only them) and its own account.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class StorefrontTests(ShopAppFixture fixture) : IDisposable
{
    private readonly StorefrontData _data = new(fixture);

    [Fact]
    public async Task Checking_out_anonymously_asks_to_sign_in_and_a_new_account_returns_to_checkout_with_the_cart()
    {
        var vase = await _data.ProductAsync("Vase", 15.00m, stock: 5);
        await using var browser = await StorefrontBrowser.StartAsync(fixture);
        var page = browser.Page;
        await browser.AddToCartAsync(vase.Id);

        await page.GotoAsync("/checkout");
        await Expect(page.GetByText("Sign in or create an account to continue; your cart is kept.")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("asked-to-sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Vera Vase");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(UsersApiClient.UniqueEmail("register-checkout"));
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("correct-horse-42");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/checkout$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Checkout", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("1 item, subtotal 15.00 EUR")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("checkout-after-register");
    }

    [Fact]
    public async Task A_new_shopper_browses_searches_fills_a_cart_signs_in_checks_out_pays_and_sees_the_order_paid_and_notified()
    {
        var word = StorefrontData.UniqueWord();
        var lamp = await _data.ProductNamedAsync($"{word} Desk Lamp", 24.50m, stock: 20);
        var kettle = await _data.ProductNamedAsync($"{word} Kettle", 31.00m, stock: 20);
        var shopper = await _data.ShopperAsync("browser");

        await using var browser = await StorefrontBrowser.StartAsync(fixture);
        var page = browser.Page;

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Catalog", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Products" }).GetByRole(AriaRole.Listitem).First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("catalog");

        await page.GetByLabel("Search products").FillAsync(word);
        await page.GetByLabel("Search products").PressAsync("Enter");
        var results = page.GetByRole(AriaRole.List, new() { Name = "Search results" });
        await Expect(results.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await browser.ScreenshotAsync("search");

        await results.GetByRole(AriaRole.Link, new() { Name = lamp.Name }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = lamp.Name })).ToBeVisibleAsync();
        await browser.AddShownProductToCartAsync();
        await browser.ScreenshotAsync("lamp-added");

        await browser.AddToCartAsync(kettle.Id, quantity: 2);
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("3");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await browser.SignInAsync(shopper.Email, shopper.Password);
        // The anonymous cart was merged into the account's.
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("3");

        await page.GotoAsync("/cart");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = lamp.Name })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = kettle.Name })).ToBeVisibleAsync();
        await Expect(page.GetByText("Subtotal: 86.50")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("cart-after-sign-in");

        await page.GetByRole(AriaRole.Link, new() { Name = "Checkout" }).ClickAsync();
        await browser.FillShippingAddressAsync("Ada Lovelace", "12 Analytical Row", "London", "N1 7AA", "GB");
        await page.GetByLabel("Card number").FillAsync(StorefrontBrowser.AcceptedCard);
        await browser.ScreenshotAsync("checkout");
        // One step: the order is placed and paid by the same submit.
        await browser.PlaceOrderButton.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you for your order" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        await browser.ScreenshotAsync("confirmation");

        await page.GetByRole(AriaRole.Link, new() { Name = "Orders", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        await browser.ScreenshotAsync("order-history");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("0");

        await page.GetByRole(AriaRole.Link, new() { Name = "Notifications" }).ClickAsync();
        await browser.ReloadUntilVisibleAsync(page.GetByRole(AriaRole.List, new() { Name = "Your notifications" }).GetByRole(AriaRole.Link).First, TimeSpan.FromSeconds(60));
        await browser.ScreenshotAsync("notifications");
    }

    [Fact]
    public async Task A_card_declined_at_checkout_keeps_the_order_pending_and_another_card_pays_it()
    {
        var mug = await _data.ProductAsync("Mug", 9.00m, stock: 5);
        await using var shopper = await _data.SignedInShopperAsync("declined", [(mug, 1)]);
        var (browser, page) = (shopper.Browser, shopper.Page);

        await page.GotoAsync("/checkout");
        await browser.PlaceOrderAsync("Grace Hopper", "1 Compiler Way", "Arlington", "22201", "US", StorefrontBrowser.DeclinedCard);

        // The order exists: the shopper lands on its payment page, told why, and the cart holds nothing twice.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Payment" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Payment declined" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("0");
        await browser.ScreenshotAsync("declined");

        // Declined again on the payment page: order-api's own answer replaces the checkout's notice.
        await browser.PayAsync(StorefrontBrowser.DeclinedCard);
        await Expect(page.GetByText("declined at checkout")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Payment declined" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending");
        await Expect(page.GetByLabel("Card number")).ToHaveValueAsync("");

        await browser.PayAsync(StorefrontBrowser.AcceptedCard);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you for your order" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
    }

    [Fact]
    public async Task A_card_number_refused_at_checkout_is_shown_at_the_card_field_and_the_cart_is_kept()
    {
        var cup = await _data.ProductAsync("Cup", 4.00m, stock: 5);
        await using var shopper = await _data.SignedInShopperAsync("short-card", [(cup, 1)]);
        var (browser, page) = (shopper.Browser, shopper.Page);

        await page.GotoAsync("/checkout");
        await browser.PlaceOrderAsync("Edsger Dijkstra", "4 Shortest Path", "Eindhoven", "5612 AZ", "NL", "4242");

        await Expect(page.Locator("#cardNumber-errors")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Checkout", Level = 1 })).ToBeVisibleAsync();
        // The address is kept for the next submit; the card number is not written back into the page.
        await Expect(page.GetByLabel("Full name")).ToHaveValueAsync("Edsger Dijkstra");
        await Expect(page.GetByLabel("Card number")).ToHaveValueAsync("");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("1");
        await browser.ScreenshotAsync("card-refused");
    }

    [Fact]
    public async Task A_price_or_currency_changed_while_the_checkout_page_was_open_is_shown_and_the_next_submit_pays_the_new_total()
    {
        var pen = await _data.ProductAsync("Pen", 3.00m, stock: 5);
        await using var shopper = await _data.SignedInShopperAsync("price-change", [(pen, 2)]);
        var (browser, page) = (shopper.Browser, shopper.Page);

        await page.GotoAsync("/checkout");
        await Expect(browser.PlaceOrderButton).ToContainTextAsync("6.00");
        await _data.SetPriceAsync(pen, 4.00m);
        await browser.PlaceOrderAsync("Barbara Liskov", "5 Substitution Lane", "Boston", "02139", "US");

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Prices changed" })).ToBeVisibleAsync();
        await Expect(browser.PlaceOrderButton).ToContainTextAsync("8.00");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("2");
        await browser.ScreenshotAsync("prices-changed");

        // The same amount in another currency is refused too: the page sends the currency it showed.
        var other = pen.Currency == "USD" ? "GBP" : "USD";
        await _data.SetPriceAsync(pen, 4.00m, other);
        await page.GetByLabel("Card number").FillAsync(StorefrontBrowser.AcceptedCard);
        await browser.PlaceOrderButton.ClickAsync();
        await Expect(browser.PlaceOrderButton).ToContainTextAsync($"8.00 {other}");
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = $"not 8.00 {pen.Currency}" })).ToBeVisibleAsync();

        await page.GetByLabel("Card number").FillAsync(StorefrontBrowser.AcceptedCard);
        await browser.PlaceOrderButton.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you for your order" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        await Expect(page.GetByText($"8.00 {other}").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_cart_flags_a_line_whose_currency_changed_at_the_same_amount_prices_it_in_the_new_currency_and_refuses_the_old_one()
    {
        var pen = await _data.ProductAsync("Pen", 3.00m, stock: 5);
        await using var shopper = await _data.SignedInShopperAsync("currency-change", [(pen, 2)]);
        var (browser, page) = (shopper.Browser, shopper.Page);
        var other = pen.Currency == "USD" ? "GBP" : "USD";

        await _data.SetPriceAsync(pen, 3.00m, other);
        await page.GotoAsync("/cart");

        var line = page.GetByRole(AriaRole.Row).Filter(new() { HasText = pen.Name });
        await Expect(line).ToContainTextAsync($"Price changed (was 3.00 {pen.Currency})");
        await Expect(line.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync($"3.00 {other}");
        await Expect(line.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync($"6.00 {other}");
        await browser.ScreenshotAsync("currency-changed");

        // A product in another currency than the cart's is refused with the reason, and the cart keeps its line.
        var ink = await _data.ProductAsync("Ink", 2.00m, stock: 5);
        await page.GotoAsync($"/products/{ink.Id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Expect(page.GetByText($"priced in {ink.Currency} and the cart has lines in {other}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("2");
        await browser.ScreenshotAsync("other-currency-refused");
    }

    [Fact]
    public async Task A_cart_whose_lines_came_to_two_currencies_says_so_at_checkout_and_on_the_cart_and_offers_checkout_again_once_one_is_removed()
    {
        var mug = await _data.ProductAsync("Mug", 8.00m, stock: 5);
        var tea = await _data.ProductAsync("Tea", 4.00m, stock: 5);
        await using var shopper = await _data.SignedInShopperAsync("two-currencies", [(mug, 1), (tea, 1)]);
        var (browser, page) = (shopper.Browser, shopper.Page);
        var other = tea.Currency == "USD" ? "GBP" : "USD";
        var both = string.Join(" and ", new[] { mug.Currency, other }.Order(StringComparer.Ordinal));

        // Repriced while the checkout page was open: the submit shows why, and orders nothing.
        await page.GotoAsync("/checkout");
        await _data.SetPriceAsync(tea, 4.00m, other);
        await browser.PlaceOrderAsync("Grace Hopper", "1 Navy Way", "Arlington", "22202", "US");
        await Expect(page.GetByTestId("mixed-currencies")).ToContainTextAsync(both);
        await Expect(browser.PlaceOrderButton).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("2");

        await page.GotoAsync("/cart");
        await Expect(page.GetByTestId("mixed-currencies")).ToContainTextAsync($"Your cart has prices in {both}");
        await Expect(page.GetByText("Subtotal:")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Checkout", Exact = true })).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("two-currencies");

        await page.GotoAsync("/cart");
        await Expect(page.Locator("table.cart[data-interactive='true']")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {mug.Name}" }).ClickAsync();
        await Expect(page.GetByText($"Subtotal: 4.00 {other}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("mixed-currencies")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Checkout", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Checkout_names_the_line_that_went_out_of_stock_and_keeps_the_cart()
    {
        var chair = await _data.ProductAsync("Chair", 80.00m, stock: 5);
        await using var shopper = await _data.SignedInShopperAsync("stock", [(chair, 2)]);
        var (browser, page) = (shopper.Browser, shopper.Page);

        await _data.SetStockAsync(chair, 1);

        await page.GotoAsync("/checkout");
        await browser.PlaceOrderAsync("Alan Turing", "2 Bletchley Park", "Milton Keynes", "MK3 6EB", "GB");

        await Expect(page.GetByTestId("out-of-stock")).ToContainTextAsync(chair.Name);
        await browser.ScreenshotAsync("out-of-stock");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("2");
    }

    [Fact]
    public async Task The_checkout_form_posted_twice_at_once_places_and_charges_one_order_and_both_posts_land_on_it()
    {
        var lamp = await _data.ProductAsync("Lamp", 12.00m, stock: 5);
        await using var shopper = await _data.SignedInShopperAsync("double-submit", [(lamp, 2)]);
        var (browser, page) = (shopper.Browser, shopper.Page);

        await page.GotoAsync("/checkout");
        await browser.FillShippingAddressAsync("Ada Lovelace", "12 Analytical Row", "London", "W1 1AA", "GB");
        await page.GetByLabel("Card number").FillAsync(StorefrontBrowser.AcceptedCard);
        // The same form (its antiforgery token, cart version and subtotal) posted twice at once, as a double click on a
        // slow page or a resent request does; each post follows its redirect.
        var landed = await page.EvaluateAsync<string[]>("""
            async () => {
                const form = document.querySelector('input[name=_handler][value=checkout]').form;
                const body = new URLSearchParams(new FormData(form)).toString();
                const post = () => fetch(form.action || location.href, {
                    method: 'POST', body, credentials: 'same-origin',
                    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                }).then(r => `${r.status} ${new URL(r.url).pathname}`);
                return Promise.all([post(), post()]);
            }
            """);

        var orderPage = new Regex("^200 /orders/([0-9a-f-]{36})$");
        Assert.All(landed, answer => Assert.Matches(orderPage, answer));
        Assert.Single(landed.Select(answer => orderPage.Match(answer).Groups[1].Value).Distinct());
        Assert.Equal(3, await ProductApiTestContext.GetStockFromDatabaseAsync(fixture, lamp.Id));

        await page.GotoAsync("/orders");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync(["Paid"]);
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("0");
    }

    [Fact]
    public async Task A_missing_product_and_another_shopper_s_order_answer_404_pages_and_a_hand_made_quantity_is_said_on_the_product_page()
    {
        var kettle = await _data.ProductAsync("Kettle", 30.00m, stock: 5);
        var other = await TestTokens.CustomerAsync(fixture.App);
        using var orders = new Orders.OrdersTestClient(fixture);
        var othersOrder = await orders.CreateOrderAsync(other, (kettle.Id, 1));
        await using var shopper = await _data.SignedInShopperAsync("not-found", []);
        var page = shopper.Page;

        var missing = await page.GotoAsync($"/products/{Guid.NewGuid()}");
        Assert.Equal(404, missing!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This product does not exist", Level = 1 })).ToBeVisibleAsync();
        var notMine = await page.GotoAsync($"/orders/{othersOrder.Id}");
        Assert.Equal(404, notMine!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No such order", Level = 1 })).ToBeVisibleAsync();
        await shopper.Browser.ScreenshotAsync("another-shoppers-order");
        Assert.Equal(404, (await page.GotoAsync($"/orders/{othersOrder.Id}/pay"))!.Status);
        Assert.Equal(404, (await page.GotoAsync("/no-such-page"))!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found", Level = 1 })).ToBeVisibleAsync();

        // What the form's number field would never send: the page says what a quantity must be, and the cart is unchanged.
        foreach (var quantity in new[] { "abc", "1.5", "-1", "0", "101" })
        {
            var shown = await page.GotoAsync($"/products/{kettle.Id}");
            Assert.Equal(200, shown!.Status);
            await page.GetByLabel("Quantity").EvaluateAsync("(input, value) => { input.type = 'text'; input.value = value; }", quantity);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
            await Expect(page.GetByText("The quantity must be a whole number from 1 to 100.")).ToBeVisibleAsync();
            Assert.Contains($"/products/{kettle.Id}", page.Url, StringComparison.Ordinal);
        }
        await shopper.Browser.ScreenshotAsync("quantity-refused");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("0");
    }

    public void Dispose() => _data.Dispose();
}
