using Shop.Tests.Infrastructure;
using Shop.Tests.Users;

namespace Shop.Tests.Errors;

/// <summary>
/// A missing resource is the same answer in every service: a 404 ProblemDetails whose title and detail say
/// what is missing (the domain's <c>NotFoundRefusal</c> through the shared mapping), never an empty body.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class NotFoundTests(ShopAppFixture fixture) : IDisposable
{
    private readonly GatewayRequests _requests = new(fixture);
    private readonly UsersApiClient _users = new(fixture);

    public static TheoryData<string, string, string?> MissingResources => new()
    {
        // role, method + path ({id} is a fresh UUID), body
        { "admin", "GET /api/users/{id}", null },
        { "admin", "PUT /api/users/{id}/role", """{"role":"customer"}""" },
        { "admin", "DELETE /api/users/{id}", null },
        { "customer", "GET /api/products/{id}", null },
        { "admin", "PUT /api/products/{id}", """{"sku":"NF-1","name":"Missing","category":"electronics","brand":"Acme","price":1,"currency":"EUR"}""" },
        { "admin", "PUT /api/products/{id}/stock", """{"stock":1}""" },
        { "admin", "DELETE /api/products/{id}", null },
        { "customer", "GET /api/orders/{id}", null },
        { "customer", "POST /api/orders/{id}/cancel", null },
        { "customer", "PUT /api/basket/lines/{id}", """{"quantity":1}""" },
    };

    [Theory]
    [MemberData(nameof(MissingResources))]
    public async Task A_missing_resource_is_a_404_problem_that_says_what_is_missing(string role, string route, string? body)
    {
        // user-api checks that the token's user exists: its admin routes need the seeded admin.
        var token = role == "customer" ? await _requests.CustomerTokenAsync()
            : route.Contains("/api/users", StringComparison.Ordinal) ? await _users.GetAdminTokenAsync() : await _requests.AdminTokenAsync();
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1].Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal));

        using var response = await _requests.SendAsync(new HttpMethod(method), path, token, body);

        var problem = await GatewayProblemAssert.IsSafeProblemAsync(response, HttpStatusCode.NotFound);
        Assert.False(string.IsNullOrWhiteSpace(problem.TryGetProperty("title", out var title) ? title.GetString() : null), $"{route}: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null), $"{route}: {problem}");
    }

    public void Dispose()
    {
        _requests.Dispose();
        _users.Dispose();
    }
}
