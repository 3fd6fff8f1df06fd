using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Shop.AppHost.Hosting;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using Shop.Tests.Products;
using Shop.Tests.Users;

namespace Shop.Tests.Browser;

/// <summary>
/// What a browser test sets up through the APIs before it opens the storefront: products whose names carry a word of
/// their own (search for it finds only them) and shoppers with accounts of their own.
/// </summary>
public sealed class StorefrontData(ShopAppFixture fixture) : IDisposable
{
    public UsersApiClient Users { get; } = new(fixture);

    public static string UniqueWord() => "Zq" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A product named "&lt;a unique word&gt; &lt;noun&gt;".</summary>
    public Task<ProductDto> ProductAsync(string noun, decimal price, int stock) => ProductNamedAsync($"{UniqueWord()} {noun}", price, stock);

    public async Task<ProductDto> ProductNamedAsync(string name, decimal price, int stock)
    {
        using var admin = await AdminClientAsync();
        return await ProductApiTestContext.CreateProductAsync(admin, stock: stock, name: name, price: price);
    }

    public async Task SetStockAsync(ProductDto product, int stock)
    {
        using var admin = await AdminClientAsync();
        using var response = await admin.PutAsJsonAsync($"/api/products/{product.Id}/stock", new { stock });
        response.EnsureSuccessStatusCode();
    }

    public async Task SetPriceAsync(ProductDto product, decimal price, string? currency = null)
    {
        using var admin = await AdminClientAsync();
        await ProductApiTestContext.SetPriceAsync(admin, product, price, currency);
    }

    public Task<RegisteredUser> ShopperAsync(string purpose) => Users.RegisterAsync(UsersApiClient.UniqueEmail(purpose));

    /// <summary>
    /// A new shopper signed in, in a browser of the test's own (screenshots under the test's name), with each product
    /// added to the cart in its quantity: the header's badge counts them all.
    /// </summary>
    public async Task<SignedInShopper> SignedInShopperAsync(string purpose, (ProductDto Product, int Quantity)[] cart,
        [CallerMemberName] string testName = "")
    {
        var account = await ShopperAsync(purpose);
        var browser = await StorefrontBrowser.StartAsync(fixture, testName);
        try
        {
            await browser.OpenSignInAsync(account.Email, account.Password);
            foreach (var (product, quantity) in cart) await browser.AddToCartAsync(product.Id, quantity);
            await Assertions.Expect(browser.Page.GetByTestId("cart-count")).ToHaveTextAsync(cart.Sum(line => line.Quantity).ToString());
            return new SignedInShopper(browser, account);
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>The seeded admin's sign-in (the AppHost's admin-email and admin-password).</summary>
    public async Task<(string Email, string Password)> AdminSignInAsync() =>
        (await Users.GetParameterAsync(ShopParameters.AdminEmail), await Users.GetParameterAsync(ShopParameters.AdminPassword));

    private Task<HttpClient> AdminClientAsync() => ProductApiTestContext.AdminClientAsync(fixture, fixture.CreateHttpClient(ShopResources.Gateway));

    public void Dispose() => Users.Dispose();
}

/// <summary>A shopper's account and the browser it is signed in in; disposing closes the browser.</summary>
public sealed record SignedInShopper(StorefrontBrowser Browser, RegisteredUser Account) : IAsyncDisposable
{
    public IPage Page => Browser.Page;

    public ValueTask DisposeAsync() => Browser.DisposeAsync();
}
