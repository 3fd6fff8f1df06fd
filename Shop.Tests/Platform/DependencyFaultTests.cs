using System.Text.Json;
using Npgsql;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Platform;

/// <summary>
/// Stops a backing resource under the running system: the services that need it report it (DOWN when they cannot
/// work without it, DEGRADED when they can) and recover by themselves once it is back, without a restart.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class DependencyFaultTests(ShopAppFixture fixture)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PostgreSQL_down_makes_its_services_DOWN_and_they_recover()
    {
        await fixture.ExecuteCommandAsync("postgres", "resource-stop");
        try
        {
            await WaitForHealthAsync("user-api", "DOWN", HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await fixture.ExecuteCommandAsync("postgres", "resource-start");
            // The stop ended every session, those idle in this test process's own pools too; the services' retries
            // take such a connection as transient, a test's plain query would fail on it.
            NpgsqlConnection.ClearAllPools();
        }
        await WaitForHealthAsync("user-api", "UP", HttpStatusCode.OK);
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("postgres").WaitAsync(Convergence);
    }

    [Fact]
    public async Task Redis_down_makes_the_catalog_DEGRADED_and_it_recovers()
    {
        await fixture.ExecuteCommandAsync("redis", "resource-stop");
        try
        {
            await WaitForHealthAsync("product-api", "DEGRADED", HttpStatusCode.OK);
        }
        finally
        {
            await fixture.ExecuteCommandAsync("redis", "resource-start");
        }
        await WaitForHealthAsync("product-api", "UP", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Kafka_down_makes_its_clients_DEGRADED_and_they_recover()
    {
        await fixture.ExecuteCommandAsync("kafka", "kafka-stop");
        try
        {
            await WaitForHealthAsync("order-api", "DEGRADED", HttpStatusCode.OK);
            await WaitForHealthAsync("notifier", "DEGRADED", HttpStatusCode.OK);
        }
        finally
        {
            await fixture.ExecuteCommandAsync("kafka", "kafka-start");
        }
        await WaitForHealthAsync("order-api", "UP", HttpStatusCode.OK);
        await WaitForHealthAsync("notifier", "UP", HttpStatusCode.OK);
    }

    private async Task WaitForHealthAsync(string project, string status, HttpStatusCode code)
    {
        using var client = fixture.CreateHttpClient(project);
        await Eventually.ReturnsAsync(async () =>
        {
            using var response = await client.GetAsync("/health");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, Status: body.RootElement.GetProperty("status").GetString());
        }, health => health.StatusCode == code && health.Status == status, Convergence, $"{project} reports {status} ({(int)code})");
    }
}
