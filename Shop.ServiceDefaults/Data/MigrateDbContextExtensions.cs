using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>Fills a freshly migrated database (reference data, the admin account); runs inside the migration's lock.</summary>
public interface IDbSeeder<in TContext> where TContext : DbContext
{
    /// <summary>Must be idempotent: every start of every replica runs it.</summary>
    Task SeedAsync(TContext context, CancellationToken cancellationToken);
}

public static class MigrateDbContextExtensions
{
    public const string ActivitySourceName = Extensions.ShopTelemetryPrefix + "Migrations";
    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>Applies <typeparamref name="TContext"/>'s committed migrations at start-up, before any other hosted service.</summary>
    public static IServiceCollection AddMigration<TContext>(this IServiceCollection services) where TContext : DbContext =>
        services.AddMigration<TContext, NoSeed<TContext>>();

    /// <summary>
    /// Applies <typeparamref name="TContext"/>'s committed migrations, then <typeparamref name="TDbSeeder"/>, in a hosted
    /// service whose StartAsync runs before every other hosted service's and before the server listens: a service
    /// answers nothing, health included, until its database is ready. Replicas starting together take turns under a
    /// PostgreSQL session advisory lock, and the later ones find nothing left to do. A failure stops the start.
    /// </summary>
    public static IServiceCollection AddMigration<TContext, TDbSeeder>(this IServiceCollection services)
        where TContext : DbContext
        where TDbSeeder : class, IDbSeeder<TContext>
    {
        services.AddScoped<IDbSeeder<TContext>, TDbSeeder>();
        var migration = ServiceDescriptor.Singleton<IHostedService, MigrationHostedService<TContext>>();
        // Hosted services start in registration order; the others (outbox relay, cache bus, …) expect the schema.
        var firstHostedService = services.ToList().FindIndex(d => d.ServiceType == typeof(IHostedService));
        if (firstHostedService < 0) services.Add(migration);
        else services.Insert(firstHostedService, migration);
        return services;
    }

    private static async Task MigrateAsync<TContext>(IServiceProvider services, CancellationToken cancellationToken) where TContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var seeder = scope.ServiceProvider.GetRequiredService<IDbSeeder<TContext>>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<IDbSeeder<TContext>>>();

        using var activity = ActivitySource.StartActivity($"Migrate {typeof(TContext).Name}");
        try
        {
            var strategy = context.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(cancellationToken, token => MigrateUnderLockAsync(context, seeder, token));
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            activity?.SetStatus(ActivityStatusCode.Error);
            logger.LogError(ex, "Migrating the database of {DbContext} failed", typeof(TContext).Name);
            throw;
        }
    }

    private static async Task MigrateUnderLockAsync<TContext>(TContext context, IDbSeeder<TContext> seeder, CancellationToken cancellationToken)
        where TContext : DbContext
    {
        var lockKey = StableLockKey(typeof(TContext).FullName!);
        // One open connection: the session-level lock belongs to it.
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({lockKey})", cancellationToken);
            try
            {
                // Npgsql's history repository reads the history table before it creates it, and logs the missing table
                // of a fresh database as a failed command at Error (npgsql/efcore.pg#3407): a red line per service on a
                // first start that is no failure. Its own idempotent script creates the table first.
                await context.Database.ExecuteSqlRawAsync(context.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
                await context.Database.MigrateAsync(cancellationToken);
                await seeder.SeedAsync(context, cancellationToken);
            }
            finally
            {
                await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    // FNV-1a: stable across processes (string.GetHashCode is randomised per process).
    private static long StableLockKey(string text)
    {
        unchecked
        {
            var hash = 14695981039346656037UL;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }
            return (long)hash;
        }
    }

    private sealed class MigrationHostedService<TContext>(IServiceProvider services) : IHostedService where TContext : DbContext
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            // This service starts before OpenTelemetry's own hosted service, which is what builds the tracer provider;
            // building it here first makes the migration's span recorded and exported like any other.
            _ = services.GetService<TracerProvider>();
            return MigrateAsync<TContext>(services, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoSeed<TContext> : IDbSeeder<TContext> where TContext : DbContext
    {
        public Task SeedAsync(TContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
