using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Gateway;
using Shop.Tests.Infrastructure;
using Shop.Tests.Products;
using Shop.Tests.Users;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.Browser;

/// <summary>
/// The storefront's failure states as a shopper meets them in a real browser: an ended access token refreshed without
/// notice, a session that cannot be refreshed (sign in again, cart kept), the gateway's per-shopper limit (retry after
/// N s), a service down (a friendly message there, the rest of the shop working), Redis down (the storefront stays up).
/// Each test brings back what it changed.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class StorefrontFailureTests(ShopAppFixture fixture) : SystemDisruptingTests(fixture), IDisposable
{
    private static readonly TimeSpan AccountChangeSeen = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(120);

    private readonly StorefrontData _data = new(fixture);

    [Fact]
    public async Task A_role_change_ends_the_access_token_and_the_storefront_refreshes_it_without_the_shopper_noticing()
    {
        await using var session = await SignedInWithOneInTheCartAsync("role");
        var (browser, product, shopper) = session;
        var page = browser.Page;
        var adminLink = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true });
        await Expect(adminLink).ToHaveCountAsync(0);

        // A new role refuses the old access token everywhere within seconds; the refreshed one carries the role.
        await SetRoleAsync(shopper, "admin");
        await page.GotoAsync("/cart");
        await browser.ReloadUntilVisibleAsync(adminLink, AccountChangeSeen);
        await browser.ScreenshotAsync("promoted");
        await ExpectStillSignedInWithTheCartAsync(page, product);

        // Back again: this refresh needs the rotated refresh token from the cookie (the first one is spent, and a
        // spent one presented again ends the session), so it proves the first refresh was kept.
        await SetRoleAsync(shopper, "customer");
        await ReloadUntilAsync(page, adminLink, visible: false, AccountChangeSeen);
        await browser.ScreenshotAsync("demoted");
        await ExpectStillSignedInWithTheCartAsync(page, product);
    }

    [Fact]
    public async Task A_session_ended_elsewhere_says_session_expired_and_signing_in_again_finds_the_cart()
    {
        await using var session = await SignedInWithOneInTheCartAsync("expired");
        var (browser, product, shopper) = session;
        var page = browser.Page;

        // The password changed on another device: user-api ends the account's other sessions, this browser's too.
        const string newPassword = "another-horse-43";
        var elsewhere = await _data.Users.GetTokenAsync(shopper.Email, shopper.Password);
        using (var change = await _data.Users.SendAsync(HttpMethod.Put, "/api/users/me/password", elsewhere,
            new { currentPassword = shopper.Password, newPassword }))
        {
            Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        }

        await page.GotoAsync("/cart");
        var expired = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Your session expired" });
        await browser.ReloadUntilVisibleAsync(expired, AccountChangeSeen);
        await browser.ScreenshotAsync("session-expired");
        // The notice says it all: the cart's own refused call adds no second, puzzling message.
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(1);

        await expired.GetByRole(AriaRole.Link, new() { Name = "sign in again" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await browser.SignInAsync(shopper.Email, newPassword);
        await ExpectStillSignedInWithTheCartAsync(page, product);
        await browser.ScreenshotAsync("signed-in-again");
    }

    [Fact]
    public async Task A_rate_limited_shopper_is_told_to_retry_after_the_gateway_s_wait()
    {
        const int limit = 4;
        await using var session = await SignedInWithOneInTheCartAsync("limited");
        var (browser, _, _) = session;
        var page = browser.Page;

        using var gateway = Fixture.CreateHttpClient(ShopResources.Gateway);
        await using (await GatewayLimits.DefaultLimitAsync(Fixture, gateway, limit))
        {
            // The shopper's bucket, filled under the test app's lifted limit, holds at most this limit from now on.
            // Each cart page spends two requests (the header's cart count and the page's cart): bounded, loopback only.
            var tooFast = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "You are going a bit fast" });
            for (var load = 0; load <= limit && !await tooFast.IsVisibleAsync(); load++)
            {
                await page.GotoAsync("/cart");
            }
            await Expect(tooFast).ToBeVisibleAsync();
            await browser.ScreenshotAsync("rate-limited");
            var wait = Regex.Match(await tooFast.InnerTextAsync(), @"Please try again in (\d+) s\.");
            Assert.True(wait.Success, await tooFast.InnerTextAsync());
            Assert.InRange(int.Parse(wait.Groups[1].Value), 1, 60);
        }
    }

    [Fact]
    public async Task With_order_api_down_the_orders_page_says_so_and_the_rest_of_the_shop_works()
    {
        await using var session = await SignedInWithOneInTheCartAsync("down");
        var (browser, product, _) = session;
        var page = browser.Page;
        await page.GotoAsync("/orders");
        await Expect(page.GetByText("No orders yet")).ToBeVisibleAsync();

        var orderApi = Fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == ShopResources.OrderApi);
        var commands = Fixture.App.Services.GetRequiredService<ResourceCommandService>();
        // Stops every replica. A replica drains its connections before it exits, which can outlast the command's own
        // wait (it then reports a failure although the replica stops): the page below is what counts.
        await commands.ExecuteCommandAsync(orderApi, "resource-stop");
        try
        {
            var unavailable = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Temporarily unavailable" });
            await browser.ReloadUntilVisibleAsync(unavailable, RecoveryTimeout);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your orders", Level = 1 })).ToBeVisibleAsync();
            await browser.ScreenshotAsync("orders-unavailable");

            await page.GotoAsync("/");
            await Expect(page.GetByRole(AriaRole.List, new() { Name = "Products" }).GetByRole(AriaRole.Listitem).First).ToBeVisibleAsync();
            await page.GotoAsync($"/products/{product.Id}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = product.Name })).ToBeVisibleAsync();
            await ExpectStillSignedInWithTheCartAsync(page, product);
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
            await browser.ScreenshotAsync("cart-while-orders-down");
        }
        finally
        {
            await StartAsync(commands, orderApi, ShopResources.OrderApi);
        }

        // Back without a restart of the storefront (its circuit breaker closes again).
        await page.GotoAsync("/orders");
        await browser.ReloadUntilVisibleAsync(page.GetByText("No orders yet"), RecoveryTimeout);
    }

    [Fact]
    public async Task With_Redis_down_the_storefront_stays_up_and_a_shopper_signs_in_and_browses()
    {
        var product = await _data.ProductAsync("Kettle", 20.00m, stock: 5);
        var shopper = await _data.ShopperAsync("redis-down");
        await using var browser = await StorefrontBrowser.StartAsync(Fixture);
        await browser.Page.GotoAsync("/account/login");

        await Fixture.ExecuteCommandAsync(ShopResources.Redis, "resource-stop");
        try
        {
            // Redis is seen down (the catalog's cache check), yet the storefront, whose Data Protection keys live there
            // and are cached once read, stays UP: a shopper can still sign in, browse and open a product.
            using var catalog = Fixture.CreateHttpClient(ShopResources.ProductApi);
            await Eventually.ReturnsAsync(() => HealthAnswer.StatusAsync(catalog), status => status == "DEGRADED", RecoveryTimeout,
                "product-api reports Redis down");
            using var storefront = Fixture.CreateHttpClient(ShopResources.WebApp);
            Assert.Equal("UP", await HealthAnswer.StatusAsync(storefront));

            await browser.SignInAsync(shopper.Email, shopper.Password);
            await browser.Page.GotoAsync($"/products/{product.Id}");
            await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = product.Name })).ToBeVisibleAsync();
            await browser.ScreenshotAsync("product-while-redis-down");
        }
        finally
        {
            await Fixture.ExecuteCommandAsync(ShopResources.Redis, "resource-start");
        }
    }

    /// <summary>A new shopper signed in with one product in the cart, in a browser of the test's own.</summary>
    private async Task<ShopperWithOneInTheCart> SignedInWithOneInTheCartAsync(string purpose, [CallerMemberName] string testName = "")
    {
        var product = await _data.ProductAsync("Lantern", 12.00m, stock: 10);
        var shopper = await _data.SignedInShopperAsync(purpose, [(product, 1)], testName);
        return new ShopperWithOneInTheCart(shopper.Browser, product, shopper.Account);
    }

    private sealed record ShopperWithOneInTheCart(StorefrontBrowser Browser, ProductDto Product, RegisteredUser Shopper) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Browser.DisposeAsync();
    }

    /// <summary>The account's cart, seen signed in, without a "session expired" notice.</summary>
    private static async Task ExpectStillSignedInWithTheCartAsync(IPage page, ProductDto product)
    {
        await page.GotoAsync("/cart");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = product.Name })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("1");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Your session expired")).ToHaveCountAsync(0);
    }

    private async Task SetRoleAsync(RegisteredUser user, string role)
    {
        using var response = await _data.Users.SendAsync(HttpMethod.Put, $"/api/users/{user.Id}/role", await _data.Users.GetAdminTokenAsync(), new { role });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task ReloadUntilAsync(IPage page, ILocator locator, bool visible, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await locator.IsVisibleAsync() != visible)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{locator} still {(visible ? "hidden" : "visible")} after {timeout}.");
            await Task.Delay(1_000);
            await page.ReloadAsync();
        }
    }

    /// <summary>
    /// Starts every replica again and waits until they are healthy: a replica may still be on its way down when the
    /// start arrives, and DCP then reports that it failed to start, so start again as an operator would.
    /// </summary>
    private async Task StartAsync(ResourceCommandService commands, IResource resource, string name)
    {
        await Eventually.ReturnsAsync(async () =>
        {
            if (!(await commands.ExecuteCommandAsync(resource, "resource-start")).Success) return false;
            try
            {
                await Fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(name).WaitAsync(TimeSpan.FromSeconds(30));
                return true;
            }
            catch (Exception ex) when (ex is DistributedApplicationException or TimeoutException)
            {
                return false;
            }
        }, ok => ok, RecoveryTimeout, $"{name} replicas start again and are healthy");
    }

    public void Dispose() => _data.Dispose();
}
