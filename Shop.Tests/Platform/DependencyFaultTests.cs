using Npgsql;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Platform;

/// <summary>
/// Stops a backing resource under the running system: the services that need it report it (DOWN when they cannot
/// work without it, DEGRADED when they can) and recover by themselves once it is back, without a restart.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class DependencyFaultTests(ShopAppFixture fixture) : SystemDisruptingTests(fixture)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(60);

    [Fact]
    public Task PostgreSQL_down_makes_its_services_DOWN_and_they_recover() =>
        StopAndRecoverAsync(ShopResources.Postgres, "resource-stop", "resource-start", "DOWN", HttpStatusCode.ServiceUnavailable, ShopResources.UserApi);

    [Fact]
    public Task Redis_down_makes_the_catalog_DEGRADED_and_it_recovers() =>
        StopAndRecoverAsync(ShopResources.Redis, "resource-stop", "resource-start", "DEGRADED", HttpStatusCode.OK, ShopResources.ProductApi);

    [Fact]
    public Task Kafka_down_makes_its_clients_DEGRADED_and_they_recover() =>
        StopAndRecoverAsync(ShopResources.Kafka, "kafka-stop", "kafka-start", "DEGRADED", HttpStatusCode.OK, ShopResources.OrderApi, ShopResources.Notifier);

    /// <summary>
    /// Stops the resource, waits until each project reports <paramref name="status"/> (answered with
    /// <paramref name="code"/>), starts it again and waits until each reports UP (200).
    /// </summary>
    private async Task StopAndRecoverAsync(string resource, string stop, string start, string status, HttpStatusCode code, params string[] projects)
    {
        await Fixture.ExecuteCommandAsync(resource, stop);
        try
        {
            foreach (var project in projects) await WaitForHealthAsync(project, status, code);
        }
        finally
        {
            await Fixture.ExecuteCommandAsync(resource, start);
            // PostgreSQL's stop ended every session, those idle in this test process's own pools too; the services'
            // retries take such a connection as transient, a test's plain query would fail on it.
            if (resource == ShopResources.Postgres) NpgsqlConnection.ClearAllPools();
        }
        foreach (var project in projects) await WaitForHealthAsync(project, "UP", HttpStatusCode.OK);
    }

    private async Task WaitForHealthAsync(string project, string status, HttpStatusCode code)
    {
        using var client = Fixture.CreateHttpClient(project);
        await Eventually.ReturnsAsync(() => HealthAnswer.ReadAsync(client),
            health => health.StatusCode == code && health.Status == status, Convergence, $"{project} reports {status} ({(int)code})");
    }
}
