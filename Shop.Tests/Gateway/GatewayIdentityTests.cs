using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

[Collection(ShopCollection.Name)]
public sealed class GatewayIdentityTests(ShopAppFixture fixture)
{
    [Theory]
    [InlineData("GET", "/api/orders")]
    [InlineData("GET", "/api/notifications")]
    [InlineData("GET", "/api/users/me")]
    [InlineData("POST", "/api/products")]
    public async Task No_token_is_a_401_problem_at_the_edge(string method, string path)
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Tampered_token_is_a_401()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);
        var valid = await GatewayTokens.CreateAsync(fixture);

        using var tampered = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/orders").WithBearer(GatewayTokens.Tamper(valid)));
        using var accepted = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/orders").WithBearer(valid));

        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal("application/problem+json", tampered.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Spoofed_user_id_is_ignored_and_the_service_sees_the_tokens_user()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);
        var email = $"edge-{Guid.NewGuid():N}@tests.shop.local";
        const string password = "Correct-horse-9";

        using var registered = await client.PostAsJsonAsync("/api/users/register", new { email, password, name = "Edge Tester" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var login = await client.PostAsJsonAsync("/api/users/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me").WithBearer(token);
        request.Headers.Add("X-User-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-User-Role", "admin");
        using var me = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var profile = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email, profile.GetProperty("email").GetString(), ignoreCase: true);
    }

    [Fact]
    public async Task Identity_headers_reaching_a_service_come_from_the_token_only()
    {
        // A gateway process whose notifier destination is a recorder, to see exactly what a service receives.
        using var recorder = new EchoDestination();
        await using var gateway = await GatewayProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["services__notifier__http__0"] = recorder.Address.ToString().TrimEnd('/'),
        });
        using var client = gateway.CreateHttpClient();
        var userId = Guid.NewGuid();
        var token = await GatewayTokens.CreateAsync(fixture, userId, role: "customer");
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();

        using var authenticated = new HttpRequestMessage(HttpMethod.Get, "/api/notifications").WithBearer(token);
        authenticated.Headers.Add("X-User-Id", Guid.NewGuid().ToString());
        authenticated.Headers.Add("X-User-Role", "admin");
        authenticated.Headers.Add("X-Request-Id", "spoof-check-1");
        authenticated.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(authenticated);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, headers) = Assert.Single(recorder.Requests);
        Assert.Equal(userId.ToString(), headers["X-User-Id"]);
        Assert.Equal("customer", headers["X-User-Role"]);
        Assert.Equal("spoof-check-1", headers["X-Request-Id"]);
        Assert.StartsWith($"00-{traceId}-", headers["traceparent"]);
        Assert.StartsWith("Bearer ", headers["Authorization"]);
    }
}
