using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders;

namespace Shop.Tests.Users;

/// <summary>
/// While Redis (the account-change channel) is unreachable, account changes could be missed: authenticated writes are
/// refused with 503 + Retry-After, reads and sign-ins go on with the last known state, and /health says so
/// (account-state DEGRADED). Everything recovers by itself when Redis is back, although it comes back empty.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class AccountStateFaultTests(ShopAppFixture fixture) : SystemDisruptingTests(fixture), IDisposable
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(60);

    private readonly AccountSessionClient _sessions = new(fixture);

    [Fact]
    public async Task Redis_down_refuses_authenticated_writes_with_503_reports_DEGRADED_and_recovers()
    {
        var (product, user, tokens) = await _sessions.CustomerWithProductAsync();
        var token = tokens.AccessToken;
        var gateway = _sessions.Gateway;

        await Fixture.ExecuteCommandAsync(ShopResources.Redis, "resource-stop");
        try
        {
            foreach (var project in new[] { ShopResources.Gateway, ShopResources.OrderApi, ShopResources.Notifier, ShopResources.UserApi })
            {
                await WaitForAccountStateAsync(project, "DEGRADED");
            }

            foreach (var client in new[] { gateway, _sessions.Orders.Orders })
            {
                using var write = await PostOrderAsync(client, token, product.Id);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
                Assert.NotNull(write.Headers.RetryAfter?.Delta);
                Assert.Equal(503, (await UsersApiClient.ReadProblemAsync(write)).GetProperty("status").GetInt32());
            }
            await AccountSessionClient.ExpectStatusAsync(gateway, HttpMethod.Get, "/api/orders", token, HttpStatusCode.OK);
            // user-api lives without Redis (its login throttling fails open): its /health stays 200, so the gateway's
            // probes keep it in rotation and sign-ins and reads still reach it.
            using (var users = Fixture.CreateHttpClient(ShopResources.UserApi))
            using (var health = await users.GetAsync("/health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
                Assert.Equal("DEGRADED", body.RootElement.GetProperty("status").GetString());
            }
            using var login = await gateway.PostAsJsonAsync("/api/users/login", new { email = user.Email, password = user.Password });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            await AccountSessionClient.ExpectStatusAsync(gateway, HttpMethod.Get, "/api/users/me", token, HttpStatusCode.OK);
        }
        finally
        {
            await Fixture.ExecuteCommandAsync(ShopResources.Redis, "resource-start");
        }

        foreach (var project in new[] { ShopResources.Gateway, ShopResources.OrderApi, ShopResources.Notifier, ShopResources.UserApi })
        {
            await WaitForAccountStateAsync(project, "UP");
        }
        // Once a second: the gateway's rate limit (100 a minute) would refuse a tighter poll.
        var answers = new List<string>();
        var deadline = DateTime.UtcNow + Convergence;
        while (true)
        {
            using var order = await PostOrderAsync(gateway, token, product.Id);
            if (order.StatusCode == HttpStatusCode.Created) break;
            answers.Add($"{(int)order.StatusCode} {await order.Content.ReadAsStringAsync()}");
            Assert.True(DateTime.UtcNow < deadline, "No order was accepted after Redis came back; answers: " + string.Join(" | ", answers.Distinct()));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private Task<HttpResponseMessage> PostOrderAsync(HttpClient client, string token, Guid productId) =>
        _sessions.Orders.PostOrderAsync(token, OrdersTestClient.OrderBody((productId, 1)), Guid.NewGuid().ToString(), via: client);

    private async Task WaitForAccountStateAsync(string project, string status)
    {
        using var client = Fixture.CreateHttpClient(project);
        await Eventually.ReturnsAsync(async () =>
        {
            using var response = await client.GetAsync("/health");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("checks").GetProperty("account-state").GetProperty("status").GetString();
        }, s => s == status, Convergence, $"{project}'s account-state check is {status}");
    }

    public void Dispose() => _sessions.Dispose();
}
