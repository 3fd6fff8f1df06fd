using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Errors;

/// <summary>Through the gateway, a body the service cannot read is a 4xx ProblemDetails, never a developer page.</summary>
[Collection(ShopCollection.Name)]
public sealed class MalformedRequestTests(ShopAppFixture fixture) : IDisposable
{
    private readonly GatewayRequests _requests = new(fixture);

    public static TheoryData<string, string, string, string, int> MalformedBodies => new()
    {
        // role, method + path, body, content type, expected status
        { "customer", "POST /api/orders", """{"items":[{"productId":""", "application/json", 400 },
        { "customer", "POST /api/orders", "", "application/json", 400 },
        { "customer", "POST /api/orders", """{"items":[],"shippingAddress":"1 Main Street"}""", "application/json", 400 },
        { "customer", "POST /api/orders", """{"items":[{"productId":"00000000-0000-0000-0000-000000000001","quantity":99999999999}]}""", "application/json", 400 },
        { "customer", "POST /api/orders", """{"items":[]}""", "text/plain", 415 },
        { "customer", "POST /api/users/register", """{"email":"a@b.c","name":""", "application/json", 400 },
        { "customer", "POST /api/users/register", """["not","an","object"]""", "application/json", 400 },
        { "customer", "POST /api/users/login", """{"email":"a@b.c","password":"x"}""", "text/plain", 415 },
        { "customer", "POST /api/users/register", "", "application/json", 400 },
        { "admin", "POST /api/products", """{"sku":"X","price":1e400}""", "application/json", 400 },
        { "admin", "POST /api/products", """{"sku":"X","name":{"a":1}}""", "application/json", 400 },
        { "admin", "PUT /api/products/00000000-0000-0000-0000-000000000001/stock", """{"stock":2147483648}""", "application/json", 400 },
        { "admin", "POST /api/products", "sku=X", "application/x-www-form-urlencoded", 415 },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_bodies_are_problem_details_without_internals(string role, string route, string body, string contentType, int status)
    {
        var token = role == "admin" ? await _requests.AdminTokenAsync() : await _requests.CustomerTokenAsync();
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);

        using var response = await _requests.SendAsync(new HttpMethod(method), path, token, body, contentType, idempotencyKey: Guid.NewGuid().ToString());

        await GatewayProblemAssert.IsSafeProblemAsync(response, (HttpStatusCode)status);
    }

    [Fact]
    public async Task A_value_of_the_wrong_json_type_is_named_by_its_path()
    {
        var token = await _requests.CustomerTokenAsync();

        using var response = await _requests.SendAsync(HttpMethod.Post, "/api/orders", token,
            """{"items":[{"productId":"00000000-0000-0000-0000-000000000001","quantity":"two"}],"shippingAddress":null}""",
            idempotencyKey: Guid.NewGuid().ToString());

        await GatewayProblemAssert.NamesFieldAsync(response, "items[0].quantity");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("The value of 'items[0].quantity' is not an integer from -2147483648 to 2147483647.",
            problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal("Must be an integer from -2147483648 to 2147483647.",
            problem.RootElement.GetProperty("errors").GetProperty("items[0].quantity")[0].GetString());
    }

    public static TheoryData<string, string, string, string> NumbersAsStrings => new()
    {
        // role, method + path, body, the field named
        { "customer", "POST /api/orders", """{"items":[{"productId":"00000000-0000-0000-0000-000000000001","quantity":"1"}]}""", "items[0].quantity" },
        { "customer", "PUT /api/basket/lines/00000000-0000-0000-0000-000000000001", """{"quantity":"2"}""", "quantity" },
        { "admin", "PUT /api/products/00000000-0000-0000-0000-000000000001/stock", """{"stock":"5"}""", "stock" },
        { "admin", "POST /api/products", """{"sku":"X","price":"9.99"}""", "price" },
    };

    [Theory]
    [MemberData(nameof(NumbersAsStrings))]
    public async Task A_number_sent_as_a_string_is_a_value_of_the_wrong_type(string role, string route, string body, string field)
    {
        var token = role == "admin" ? await _requests.AdminTokenAsync() : await _requests.CustomerTokenAsync();
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);

        using var response = await _requests.SendAsync(new HttpMethod(method), path, token, body, "application/json", idempotencyKey: Guid.NewGuid().ToString());

        await GatewayProblemAssert.NamesFieldAsync(response, field);
    }

    [Fact]
    public async Task Gateway_health_tells_statuses_without_addresses_or_details()
    {
        using var response = await _requests.Gateway.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        using var health = JsonDocument.Parse(body);
        var checks = health.RootElement.GetProperty("checks");
        Assert.NotEmpty(checks.EnumerateObject());
        foreach (var check in checks.EnumerateObject())
        {
            Assert.Contains(check.Value.GetProperty("status").GetString(), new[] { "UP", "DEGRADED", "DOWN" });
            Assert.False(check.Value.TryGetProperty("description", out _), $"{check.Name} has a description: {body}");
        }
        foreach (var service in new[] { ShopResources.UserApi, ShopResources.ProductApi, ShopResources.OrderApi, ShopResources.Notifier })
        {
            var endpoint = fixture.App.GetEndpoint(service, "http");
            Assert.DoesNotContain($":{endpoint.Port}", body);
        }
        Assert.DoesNotContain("http://", body);
        Assert.DoesNotContain("localhost", body);
        Assert.DoesNotContain("127.0.0.1", body);
    }

    public void Dispose() => _requests.Dispose();
}
