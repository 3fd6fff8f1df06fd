using System.Text;
using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using Shop.Tests.Users;

namespace Shop.Tests.Gateway;

[Collection(ShopCollection.Name)]
public sealed class GatewayRoutingTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task Product_and_category_prefixes_reach_product_api_anonymously()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);

        using var products = await client.GetAsync("/api/products?page=1&pageSize=2");
        using var categories = await client.GetAsync("/api/categories");

        Assert.Equal(HttpStatusCode.OK, products.StatusCode);
        using var page = JsonDocument.Parse(await products.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Array, page.RootElement.GetProperty("items").ValueKind);
        Assert.Equal(HttpStatusCode.OK, categories.StatusCode);
        Assert.NotEmpty(await categories.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_header_value_outside_ASCII_is_forwarded_and_does_not_take_a_service_offline()
    {
        // The forwarder refused such a value ("Request headers must contain only ASCII characters"), answered 502, and
        // counted it as the replica's transport failure: seven anonymous requests took product-api off the gateway
        // for everyone for about a minute. Kestrel reads header values as UTF-8; the gateway sends them on the same way.
        using var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 })
        {
            BaseAddress = fixture.App.GetEndpoint(ShopResources.Gateway),
        };
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            // A page of its own each time: the gateway's edge cache would answer a repeated query without forwarding it.
            using var search = new HttpRequestMessage(HttpMethod.Get, $"/api/products?pageSize=1&page={i + 1}");
            search.Headers.TryAddWithoutValidation("X-Note", "café ☕");
            using var searched = await client.SendAsync(search);
            answers.Add(searched.StatusCode);
        }
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/users/login")
        {
            Content = JsonContent.Create(new { email = UsersApiClient.UniqueEmail("utf8-header"), password = "not-the-password" }),
        };
        login.Headers.TryAddWithoutValidation("X-Note", "naïve");
        using var loggedIn = await client.SendAsync(login);

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.Unauthorized, loggedIn.StatusCode);
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        Assert.Equal("UP", health.RootElement.GetProperty("checks").GetProperty($"cluster:{ShopResources.ProductApi}").GetProperty("status").GetString());
        Assert.Equal("UP", health.RootElement.GetProperty("checks").GetProperty($"cluster:{ShopResources.UserApi}").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Users_prefix_reaches_user_api()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);

        // An empty registration is answered by user-api's own validation (field errors), not by the gateway.
        using var response = await client.PostAsJsonAsync("/api/users/register", new { });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.TryGetProperty("errors", out _));
    }

    [Theory]
    [InlineData("/api/orders")]
    [InlineData("/api/notifications")]
    [InlineData("/api/basket")]
    public async Task Authenticated_prefixes_reach_their_service(string path)
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);
        var token = await GatewayTokens.CreateAsync(fixture);

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path).WithBearer(token));

        // A new user has no orders or notifications yet: the service answers 200 with an empty list.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/api/unknown/1")]
    [InlineData("/apis/products")]
    [InlineData("/openapi/nothing.json")]
    public async Task Unknown_path_is_a_404_problem(string path)
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Answers_carry_a_request_id_and_security_headers()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/categories");
        request.Headers.Add("X-Request-Id", "test-request-42");

        using var response = await client.SendAsync(request);
        using var generated = await client.GetAsync("/api/categories");

        Assert.Equal("test-request-42", response.Headers.GetValues("X-Request-Id").Single());
        Assert.False(string.IsNullOrEmpty(generated.Headers.GetValues("X-Request-Id").Single()));
        Assert.NotEqual("test-request-42", generated.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task A_2_MB_body_is_refused_with_413()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);
        var body = new string('x', 2 * 1024 * 1024);

        using var sized = await client.PostAsync("/api/orders", new StringContent(body, Encoding.UTF8, "application/json"));
        using var chunkedContent = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        chunkedContent.Headers.ContentType = new("application/json");
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, "/api/users/register") { Content = chunkedContent };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(chunkedRequest);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal("application/problem+json", sized.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
    }

    [Fact]
    public async Task Health_lists_every_cluster()
    {
        using var client = fixture.CreateHttpClient(ShopResources.Gateway);

        var health = await HealthAnswer.ReadAsync(client);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        foreach (var cluster in new[] { "user-api", "product-api", "order-api", "notifier", "basket-api" })
        {
            Assert.Equal("UP", health.Check($"cluster:{cluster}"));
        }
        Assert.Equal("UP", health.Check("rate-limiter"));
    }
}
