using System.Net.Http.Headers;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders;

namespace Shop.Tests.Users;

/// <summary>
/// Sessions of real accounts for the revocation tests: sign-in, refresh and logout at user-api (the gateway's login
/// rate limit is shared by the whole suite), requests with the tokens through the gateway or straight to a service
/// (<see cref="Orders"/>: order-api, product-api, the notifier).
/// </summary>
public sealed class AccountSessionClient(ShopAppFixture fixture) : IDisposable
{
    public UsersApiClient Users { get; } = new(fixture);
    public HttpClient Gateway { get; } = fixture.CreateHttpClient(ShopResources.Gateway);
    public OrdersTestClient Orders { get; } = new(fixture);

    public async Task<TokenDto> LoginAsync(string email, string password)
    {
        using var response = await Users.LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TokenDto>())!;
    }

    public async Task<(RegisteredUser User, TokenDto Tokens)> RegisterAndLoginAsync()
    {
        var user = await Users.RegisterAsync();
        return (user, await LoginAsync(user.Email, user.Password));
    }

    /// <summary>A product in stock and a new customer signed in, whose access token the gateway accepts.</summary>
    public async Task<(TestProduct Product, RegisteredUser User, TokenDto Tokens)> CustomerWithProductAsync()
    {
        var product = await Orders.CreateProductAsync(stock: 10);
        var (user, tokens) = await RegisterAndLoginAsync();
        await ExpectStatusAsync(Gateway, HttpMethod.Get, "/api/orders", tokens.AccessToken, HttpStatusCode.OK);
        return (product, user, tokens);
    }

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken, HttpClient? via = null) =>
        (via ?? Users.Http).PostAsJsonAsync("/api/users/refresh", new { refreshToken });

    public Task<HttpResponseMessage> LogoutAsync(string refreshToken) =>
        Users.Http.PostAsJsonAsync("/api/users/logout", new { refreshToken });

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }

    public static async Task ExpectStatusAsync(HttpClient client, HttpMethod method, string path, string token, HttpStatusCode expected, object? body = null)
    {
        using var response = await SendAsync(client, method, path, token, body);
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>Waits until the request answers the status; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitForStatusAsync(HttpClient client, HttpMethod method, string path, string token,
        HttpStatusCode expected, TimeSpan within, object? body = null)
    {
        var started = DateTime.UtcNow;
        await Eventually.ReturnsAsync(async () =>
        {
            using var response = await SendAsync(client, method, path, token, body);
            return response.StatusCode;
        }, status => status == expected, within, $"{method} {path} answers {(int)expected}");
        return DateTime.UtcNow - started;
    }

    public void Dispose()
    {
        Users.Dispose();
        Gateway.Dispose();
        Orders.Dispose();
    }
}
