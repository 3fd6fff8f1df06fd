using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Gateway;
using Shop.Tests.Infrastructure;
using Shop.Tests.Users;

namespace Shop.Tests.Platform;

[Collection(ShopCollection.Name)]
public sealed class RefusalLoggingTests(ShopAppFixture fixture)
{
    private const string UnhandledException = "An unhandled exception has occurred";

    [Fact]
    public async Task A_refused_request_is_not_logged_as_an_unhandled_exception_in_Development()
    {
        using var gateway = fixture.CreateHttpClient(ShopResources.Gateway);
        using var login = await gateway.PostAsJsonAsync("/api/users/login",
            new { email = UsersApiClient.UniqueEmail("refusal-log"), password = "not-the-password" });
        using var order = await gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{Guid.NewGuid()}")
            .WithBearer(await GatewayTokens.CreateAsync(fixture)));
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, order.StatusCode);

        // The services run in Development here, as under F5 and ./shop run: the developer exception page is in their pipeline.
        var userApiLog = await LogLinesAsync(ShopResources.UserApi);
        var orderApiLog = await LogLinesAsync(ShopResources.OrderApi);

        Assert.Contains(userApiLog, line => line.Contains("Hosting environment: Development", StringComparison.Ordinal));
        Assert.DoesNotContain(userApiLog, line => line.Contains(UnhandledException, StringComparison.Ordinal));
        Assert.DoesNotContain(orderApiLog, line => line.Contains(UnhandledException, StringComparison.Ordinal));
    }

    /// <summary>
    /// Everything every instance of the resource wrote so far (order-api runs two replicas here, and the gateway sends a
    /// request to either): each instance's backlog, read until 2 s pass without a line.
    /// </summary>
    private async Task<List<string>> LogLinesAsync(string resource)
    {
        var instances = await ResourceInstances.IdsAsync(fixture.App, resource);
        var logs = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        var lines = new List<string>();
        foreach (var instance in instances)
        {
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var batch in logs.WatchAsync(instance).WithCancellation(quiet.Token))
                {
                    lines.AddRange(batch.Select(line => line.Content));
                    quiet.CancelAfter(TimeSpan.FromSeconds(2));
                }
            }
            catch (OperationCanceledException) when (quiet.IsCancellationRequested)
            {
            }
        }
        return lines;
    }
}
