using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Browser;

/// <summary>
/// One person's browser session against the test app's storefront, in the collection's <see cref="SharedChromium"/>:
/// its pages are in browser contexts of their own, closed when it is disposed. Each test's full-page screenshots go to
/// <c>Shop.Tests/bin/&lt;configuration&gt;/net10.0/screenshots/&lt;test&gt;/NN-step.png</c>.
/// </summary>
public sealed class StorefrontBrowser : IAsyncDisposable
{
    private readonly IBrowser _browser;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly string _screenshots;
    private int _shot;

    public IPage Page { get; private set; } = null!;
    public Uri BaseAddress { get; }

    private StorefrontBrowser(IBrowser browser, Uri baseAddress, string screenshots)
    {
        _browser = browser;
        BaseAddress = baseAddress;
        _screenshots = screenshots;
    }

    /// <param name="testName">Names the test's screenshot folder: the calling test's own name unless given.</param>
    public static async Task<StorefrontBrowser> StartAsync(ShopAppFixture fixture, [CallerMemberName] string testName = "")
    {
        var baseAddress = fixture.App.GetEndpoint(ShopResources.WebApp, "http");
        // Expect(...) waits as long as actions do (below): a streamed list on the shared machine can take over 5 s.
        Assertions.SetDefaultExpectTimeout(30_000);
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots", testName);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var browser = new StorefrontBrowser(await fixture.Chromium.GetAsync(), baseAddress, folder);
        browser.Page = await browser.OpenSessionAsync();
        return browser;
    }

    /// <summary>A second person beside <see cref="Page"/>'s (a browser context of its own: its own cookies), e.g. an admin.</summary>
    public async Task<IPage> OpenSessionAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString().TrimEnd('/') });
        _contexts.Add(context);
        // The shared 2-core machine renders slowly; Playwright's auto-waiting uses these bounds.
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>A full-page screenshot of <paramref name="page"/> (default <see cref="Page"/>), numbered in the test's order.</summary>
    public async Task ScreenshotAsync(string step, IPage? page = null)
    {
        _shot++;
        await (page ?? Page).ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_screenshots, $"{_shot:00}-{step}.png"), FullPage = true });
    }

    /// <summary>Signs in on the open page's (default <see cref="Page"/>) sign-in form and waits until the header offers to sign out.</summary>
    public async Task SignInAsync(string email, string password, IPage? page = null)
    {
        page ??= Page;
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    /// <summary>Opens the sign-in page on <paramref name="page"/> (default <see cref="Page"/>) and signs in there.</summary>
    public async Task OpenSignInAsync(string email, string password, IPage? page = null)
    {
        page ??= Page;
        await page.GotoAsync("/account/login");
        await SignInAsync(email, password, page);
    }

    /// <summary>Opens the product's page and adds the quantity of it to the cart, waiting for the confirmation.</summary>
    public async Task AddToCartAsync(Guid productId, int quantity = 1)
    {
        await Page.GotoAsync($"/products/{productId}");
        // The page offers 1.
        if (quantity != 1) await Page.GetByLabel("Quantity").FillAsync(quantity.ToString());
        await AddShownProductToCartAsync();
    }

    /// <summary>Adds the product whose page is open to the cart and waits for the confirmation.</summary>
    public async Task AddShownProductToCartAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Assertions.Expect(Page.GetByText("Added to your cart")).ToBeVisibleAsync();
    }

    /// <summary>The simulated provider's test cards (order-api's <c>SimulatedPaymentProvider</c>), as a shopper types them.</summary>
    public const string AcceptedCard = "4242 4242 4242 4242", DeclinedCard = "4000 0000 0000 0002";

    /// <summary>On the checkout page: fills the shipping address and the card, and places the order (paying it).</summary>
    public async Task PlaceOrderAsync(string fullName, string line1, string city, string postalCode, string country,
        string cardNumber = AcceptedCard)
    {
        await FillShippingAddressAsync(fullName, line1, city, postalCode, country);
        await Page.GetByLabel("Card number").FillAsync(cardNumber);
        await PlaceOrderButton.ClickAsync();
    }

    public ILocator PlaceOrderButton => Page.GetByRole(AriaRole.Button, new() { Name = "Place order" });

    /// <summary>On the payment page: pays with the card.</summary>
    public async Task PayAsync(string cardNumber)
    {
        await Page.GetByLabel("Card number").FillAsync(cardNumber);
        await PayButton.ClickAsync();
    }

    public ILocator PayButton => Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay ") });

    /// <summary>Fills the checkout page's shipping address (country: ISO 3166-1 alpha-2).</summary>
    public async Task FillShippingAddressAsync(string fullName, string line1, string city, string postalCode, string country)
    {
        await Page.GetByLabel("Full name").FillAsync(fullName);
        await Page.GetByLabel("Address line 1").FillAsync(line1);
        await Page.GetByLabel("City").FillAsync(city);
        await Page.GetByLabel("Postal code").FillAsync(postalCode);
        await Page.GetByLabel("Country (two-letter code, e.g. FR)").FillAsync(country);
    }

    /// <summary>Reloads the page until <paramref name="locator"/> shows (data that arrives later, e.g. a Kafka-fed notification).</summary>
    public async Task ReloadUntilVisibleAsync(ILocator locator, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await Assertions.Expect(locator).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 2_000 });
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                await Page.ReloadAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Each closed on its own: one that fails to close must not keep the others open.
        var closing = _contexts.Select(async context => await context.DisposeAsync());
        await Task.WhenAll(closing);
    }
}
