using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Shop.Tests.ServiceDefaults;

/// <summary>
/// The migration hosted service starts before every other hosted service, OpenTelemetry's included (which is what
/// builds the tracer provider); its span must still be recorded.
/// </summary>
public sealed class MigrationTelemetryTests
{
    [Fact]
    public async Task The_migration_span_is_recorded_although_the_migration_starts_first()
    {
        var ended = new List<Activity>();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(MigrateDbContextExtensions.ActivitySourceName)
            .AddProcessor(new Collecting(ended)));
        builder.Services.AddDbContext<NoProviderContext>();
        builder.Services.AddMigration<NoProviderContext>();
        using var host = builder.Build();

        // No database provider is configured: the migration fails, and its span says so.
        await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Activity[] spans;
        lock (ended) spans = [.. ended.Where(a => a.DisplayName == $"Migrate {nameof(NoProviderContext)}")];
        var span = Assert.Single(spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    private sealed class NoProviderContext(DbContextOptions<NoProviderContext> options) : DbContext(options);

    private sealed class Collecting(List<Activity> ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            lock (ended) ended.Add(data);
        }
    }
}
