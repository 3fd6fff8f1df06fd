using System.Text.Json;
using Shop.Tests.Infrastructure;
using Shop.Tests.Users;

namespace Shop.Tests.Errors;

/// <summary>
/// Text the database would refuse (U+0000) or cannot encode (an unpaired surrogate) is a 400 naming the
/// field, in every service, never a 500 or a retryable 503. Bodies are raw JSON so the escapes reach the service as written.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class TextFieldTests(ShopAppFixture fixture) : IDisposable
{
    private const string Nul = @"\u0000";
    private const string LoneSurrogate = @"\ud800";

    private readonly GatewayRequests _requests = new(fixture);
    private readonly UsersApiClient _users = new(fixture);

    public static TheoryData<string, string> Escapes => new() { { "nul", Nul }, { "surrogate", LoneSurrogate } };

    public static TheoryData<string, string> RegisterFields => Cross(["email", "name", "phone", "password"]);

    [Theory]
    [MemberData(nameof(RegisterFields))]
    public async Task Register_refuses_bad_text(string field, string escape)
    {
        var body = Json(new()
        {
            ["email"] = $"text-{Guid.NewGuid():N}@example.com", ["password"] = "correct-horse-42", ["name"] = "Ann Tester", ["phone"] = "+49 30 1234567",
        }, field, escape);

        using var response = await _requests.SendAsync(HttpMethod.Post, "/api/users/register", await _requests.CustomerTokenAsync(), body);

        await GatewayProblemAssert.NamesFieldAsync(response, field);
    }

    public static TheoryData<string, string> ProfileFields => Cross(["name", "phone"]);

    [Theory]
    [MemberData(nameof(ProfileFields))]
    public async Task Profile_update_refuses_bad_text(string field, string escape)
    {
        var user = await _users.RegisterAsync();
        var token = await _users.GetTokenAsync(user.Email, user.Password);
        var body = Json(new() { ["name"] = "Ann Tester", ["phone"] = "+49 30 1234567" }, field, escape);

        using var response = await _requests.SendAsync(HttpMethod.Put, "/api/users/me", token, body);

        await GatewayProblemAssert.NamesFieldAsync(response, field);
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Password_change_and_login_refuse_bad_text(string kind, string escape)
    {
        _ = kind;
        var user = await _users.RegisterAsync();
        var token = await _users.GetTokenAsync(user.Email, user.Password);

        using var change = await _requests.SendAsync(HttpMethod.Put, "/api/users/me/password", token,
            Json(new() { ["currentPassword"] = user.Password, ["newPassword"] = "another-horse-42" }, "newPassword", escape));
        using var login = await _requests.SendAsync(HttpMethod.Post, "/api/users/login", await _requests.CustomerTokenAsync(),
            Json(new() { ["email"] = user.Email, ["password"] = user.Password }, "email", escape));

        await GatewayProblemAssert.NamesFieldAsync(change, "newPassword");
        await GatewayProblemAssert.NamesFieldAsync(login, "email");
    }

    public static TheoryData<string, string> ProductFields => Cross(["name", "description", "brand", "category"]);

    [Theory]
    [MemberData(nameof(ProductFields))]
    public async Task Product_create_refuses_bad_text(string field, string escape)
    {
        var body = Json(new()
        {
            ["sku"] = $"TXT-{Guid.NewGuid():N}"[..30], ["name"] = "Text test", ["description"] = "Line one\nline two", ["category"] = "electronics",
            ["brand"] = "Testbrand", ["price"] = 9.99m, ["currency"] = "EUR",
        }, field, escape);

        using var response = await _requests.SendAsync(HttpMethod.Post, "/api/products", await _requests.AdminTokenAsync(), body);

        await GatewayProblemAssert.NamesFieldAsync(response, field);
    }

    public static TheoryData<string, string> ShippingFields =>
        Cross(["shippingAddress.name", "shippingAddress.line1", "shippingAddress.line2", "shippingAddress.city", "shippingAddress.postalCode"]);

    [Theory]
    [MemberData(nameof(ShippingFields))]
    public async Task Order_create_refuses_bad_text_in_the_shipping_address(string field, string escape)
    {
        var address = new Dictionary<string, object?>
        {
            ["name"] = "Ann Tester", ["line1"] = "1 Main Street", ["line2"] = "Flat 2", ["city"] = "Springfield", ["postalCode"] = "12345", ["country"] = "DE",
        };
        var addressJson = Json(address, field["shippingAddress.".Length..], escape);
        var body = $$"""{"items":[{"productId":"{{Guid.NewGuid()}}","quantity":1}],"shippingAddress":{{addressJson}}}""";

        using var response = await _requests.SendAsync(HttpMethod.Post, "/api/orders", await _requests.CustomerTokenAsync(), body,
            idempotencyKey: Guid.NewGuid().ToString());

        Assert.False(response.Headers.Contains("Retry-After"), "A request that can never succeed must not invite a retry.");
        await GatewayProblemAssert.NamesFieldAsync(response, field);
    }

    [Theory]
    [InlineData("/api/products?category=a%00b", "category")]
    [InlineData("/api/products?brand=a%00b", "brand")]
    [InlineData("/api/products?brand=a%1Bb", "brand")]
    [InlineData("/api/products/search?q=head%00phones", "q")]
    [InlineData("/api/products/search?q=head%C2%85phones", "q")]
    public async Task Catalog_queries_refuse_control_characters(string path, string field)
    {
        using var response = await _requests.SendAsync(HttpMethod.Get, path, await _requests.CustomerTokenAsync());

        await GatewayProblemAssert.NamesFieldAsync(response, field);
    }

    private static TheoryData<string, string> Cross(string[] fields)
    {
        var data = new TheoryData<string, string>();
        foreach (var field in fields)
        {
            data.Add(field, Nul);
            data.Add(field, LoneSurrogate);
        }
        return data;
    }

    /// <summary>The object as JSON, with <paramref name="escape"/> (a JSON escape such as \u0000) spliced into <paramref name="field"/>'s string.</summary>
    private static string Json(Dictionary<string, object?> values, string field, string escape)
    {
        const string Marker = "@@BAD@@";
        values[field] = $"{values[field]}{Marker}x";
        return JsonSerializer.Serialize(values).Replace(Marker, escape, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _requests.Dispose();
        _users.Dispose();
    }
}
