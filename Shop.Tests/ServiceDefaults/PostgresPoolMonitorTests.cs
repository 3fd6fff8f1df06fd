using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Health;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.ServiceDefaults;

[Collection(ShopCollection.Name)]
public sealed class PostgresPoolMonitorTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task A_pool_in_full_use_is_healthy_until_a_request_waits_for_a_connection_then_degraded_until_it_recovers()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync(ShopResources.OrdersDb))
        {
            MaxPoolSize = 5,
            ApplicationName = $"pool-test-{Guid.NewGuid():N}",
        }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        using var monitor = new PostgresPoolMonitor(
            new StaticOptionsMonitor<PostgresPoolOptions>(new PostgresPoolOptions()), NullLogger<PostgresPoolMonitor>.Instance);
        var context = new HealthCheckContext();

        var connections = new List<NpgsqlConnection>();
        for (var i = 0; i < 5; i++) connections.Add(await dataSource.OpenConnectionAsync());
        var full = await monitor.CheckHealthAsync(context);

        var waiting = dataSource.OpenConnectionAsync().AsTask();
        var queued = await Eventually.ReturnsAsync(() => monitor.CheckHealthAsync(context), r => r.Status == HealthStatus.Degraded,
            TimeSpan.FromSeconds(5), "a sixth open waits for one of the five connections");

        await connections[0].DisposeAsync();
        connections[0] = await waiting;
        foreach (var connection in connections) await connection.DisposeAsync();
        var idle = await monitor.CheckHealthAsync(context);

        Assert.Equal(HealthStatus.Healthy, full.Status);
        Assert.Contains(ShopResources.OrdersDb, queued.Description);
        Assert.Contains("5/5", queued.Description);
        Assert.Contains("1 waiting", queued.Description);
        Assert.Equal(HealthStatus.Healthy, idle.Status);
    }

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
