using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

/// <summary>The gateway's default rate-limit group set for one test (the test app runs with it lifted).</summary>
public static class GatewayLimits
{
    private static readonly TimeSpan Reload = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sets the default group's limit (bucket and refill per period), in force once the gateway answers with it.
    /// Disposing restores the lifted limit and waits until the gateway answers with that, so the next test is not limited.
    /// </summary>
    public static async Task<IAsyncDisposable> DefaultLimitAsync(ShopAppFixture fixture, HttpClient gateway, int limit)
    {
        var restore = await fixture.OverrideSettingsAsync(
            ("Gateway:RateLimiting:Default:TokenLimit", limit.ToString()),
            ("Gateway:RateLimiting:Default:TokensPerPeriod", limit.ToString()));
        await AnsweredLimitAsync(fixture, gateway, value => value == limit.ToString(), $"the gateway applies the limit of {limit}");
        return new LimitRestore(restore, fixture, gateway);
    }

    private static Task<string?> AnsweredLimitAsync(ShopAppFixture fixture, HttpClient gateway, Func<string?, bool> accept, string because) =>
        Eventually.ReturnsAsync(async () =>
        {
            using var probe = await gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/notifications")
                .WithBearer(await GatewayTokens.CreateAsync(fixture)));
            return probe.Headers.TryGetValues("RateLimit-Limit", out var values) ? values.Single() : null;
        }, accept, Reload, because);

    private sealed class LimitRestore(IAsyncDisposable restore, ShopAppFixture fixture, HttpClient gateway) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await restore.DisposeAsync();
            await AnsweredLimitAsync(fixture, gateway, value => value is not null && long.Parse(value) > 1_000, "the gateway lifts the limit again");
        }
    }
}
