using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using StackExchange.Redis;

namespace Shop.Tests.Gateway;

/// <summary>
/// The default limit (100 requests per minute per caller and route group, shop.settings.json) as the test app runs it.
/// Each test uses a fresh user (token sub), so its bucket is its own and starts full. The test app runs with the
/// default group lifted (see <see cref="ShopAppFixture"/>); each test here sets the real limit for its own duration.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class GatewayRateLimitTests(ShopAppFixture fixture) : SystemDisruptingTests(fixture)
{
    private const int Limit = 100;

    [Fact]
    public async Task The_101st_request_in_a_minute_is_a_429_with_retry_after()
    {
        using var client = Fixture.CreateHttpClient(ShopResources.Gateway);
        await using var limit = await DefaultLimitAsync(client);
        var token = await GatewayTokens.CreateAsync(Fixture);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? first = null;
        for (var i = 0; i < Limit; i++)
        {
            var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/notifications").WithBearer(token));
            statuses.Add(response.StatusCode);
            if (i == 0) first = response; else response.Dispose();
        }
        using var rejected = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/notifications").WithBearer(token));

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal("100", first!.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("99", first.Headers.GetValues("RateLimit-Remaining").Single());
        first.Dispose();
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.InRange(rejected.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal("0", rejected.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.RootElement.GetProperty("type").GetString());

        // Another caller is not affected by this one's bucket.
        using var other = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/notifications")
            .WithBearer(await GatewayTokens.CreateAsync(Fixture)));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
    }

    [Fact]
    public async Task The_limit_holds_across_two_gateway_replicas()
    {
        using var replicaA = Fixture.CreateHttpClient(ShopResources.Gateway);
        await using var limit = await DefaultLimitAsync(replicaA);
        // Replica B never syncs in the background during the test: only a request's own sync can make it refuse.
        await using var second = await GatewayProcess.StartAsync(Fixture,
            new Dictionary<string, string> { ["Gateway__RateLimiting__SyncInterval"] = "01:00:00" });
        using var replicaB = second.CreateHttpClient();
        var token = await GatewayTokens.CreateAsync(Fixture);

        // Alternating: each replica sees about 50 requests, far below the limit on its own; only a shared bucket stops them after 100.
        var admitted = new int[2];
        for (var i = 0; i < Limit; i++)
        {
            var client = i % 2 == 0 ? replicaA : replicaB;
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/notifications").WithBearer(token));
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
            admitted[i % 2]++;
        }
        Assert.Equal([50, 50], admitted);

        // A replica that has not yet heard of the other's last grants admits at most a tenth of the limit more
        // (LocalTokenBuckets.MaxUnsynced) before a request syncs and it refuses: per-process buckets would admit 50 more each.
        var maxUnsynced = Limit / 10;
        foreach (var (client, name) in new[] { (replicaB, "B"), (replicaA, "A") })
        {
            var extra = 0;
            HttpStatusCode status;
            do
            {
                using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/notifications").WithBearer(token));
                status = response.StatusCode;
                if (status == HttpStatusCode.TooManyRequests) Assert.NotNull(response.Headers.RetryAfter);
                else extra++;
            }
            while (status != HttpStatusCode.TooManyRequests && extra <= maxUnsynced);
            Assert.True(status == HttpStatusCode.TooManyRequests, $"replica {name} still admits after {extra} requests beyond the shared limit");
        }
    }

    [Fact]
    public async Task Redis_down_falls_back_to_a_per_process_limit_and_reports_degraded()
    {
        using var client = Fixture.CreateHttpClient(ShopResources.Gateway);
        await using var limit = await DefaultLimitAsync(client);
        await Fixture.ExecuteCommandAsync(ShopResources.Redis, "resource-stop");
        try
        {
            await Eventually.ReturnsAsync(() => RateLimiterStatusAsync(client), status => status == "DEGRADED",
                TimeSpan.FromSeconds(30), "the gateway reports its rate limiter Degraded while Redis is down");

            var token = await GatewayTokens.CreateAsync(Fixture);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i <= Limit; i++)
            {
                using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/notifications").WithBearer(token));
                statuses.Add(response.StatusCode);
            }

            Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(Limit));
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[Limit]);
        }
        finally
        {
            await Fixture.ExecuteCommandAsync(ShopResources.Redis, "resource-start");
            await Fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(ShopResources.Redis).WaitAsync(TimeSpan.FromMinutes(1));
        }

        // An idle gateway (only health probes, no limited request to sync) leaves the fallback once Redis is back.
        await Eventually.ReturnsAsync(() => RateLimiterStatusAsync(client), status => status == "UP",
            TimeSpan.FromSeconds(30), "an idle gateway reports its rate limiter UP again once Redis is back");

        // Back on the shared buckets without a restart: a request is counted in Redis again.
        var userId = Guid.NewGuid();
        var again = await GatewayTokens.CreateAsync(Fixture, userId);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await Fixture.GetConnectionStringAsync(ShopResources.Redis));
        await Eventually.ReturnsAsync(async () =>
        {
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/notifications").WithBearer(again));
            var counted = await redis.GetDatabase().KeyExistsAsync($"shop:ratelimit:default:user:{userId}");
            return (counted, status: await RateLimiterStatusAsync(client));
        }, state => state is { counted: true, status: "UP" }, TimeSpan.FromSeconds(60), "the rate limiter syncs with Redis again once it is back");
    }

    /// <summary>The shipped default limit (shop.settings.json), for the test's own duration.</summary>
    private Task<IAsyncDisposable> DefaultLimitAsync(HttpClient client) => GatewayLimits.DefaultLimitAsync(Fixture, client, Limit);

    private static async Task<string?> RateLimiterStatusAsync(HttpClient client) => (await HealthAnswer.ReadAsync(client)).Check("rate-limiter");
}
