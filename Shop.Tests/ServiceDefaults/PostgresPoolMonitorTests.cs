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
    public async Task A_pool_more_than_80_percent_in_use_reports_degraded_and_recovers()
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
        var busy = await monitor.CheckHealthAsync(context);

        foreach (var connection in connections) await connection.DisposeAsync();
        var idle = await monitor.CheckHealthAsync(context);

        Assert.Equal(HealthStatus.Degraded, busy.Status);
        Assert.Contains(ShopResources.OrdersDb, busy.Description);
        Assert.Contains("5/5", busy.Description);
        Assert.Equal(HealthStatus.Healthy, idle.Status);
    }

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
