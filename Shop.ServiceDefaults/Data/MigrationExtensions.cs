using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class MigrationExtensions
{
    /// <summary>
    /// Applies the committed migrations, then the optional <paramref name="seed"/>, under a PostgreSQL session
    /// advisory lock: replicas starting together take turns, and the later ones find nothing left to do.
    /// </summary>
    public static async Task MigrateDatabaseAsync<TContext>(this IHost app,
        Func<IServiceProvider, CancellationToken, Task>? seed = null, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        // The build's OpenAPI document run has no database.
        if (Shop.ServiceDefaults.OpenApi.BuildTimeDocumentRun.IsActive) return;

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var lockKey = StableLockKey(typeof(TContext).FullName!);

        // One open connection: the session-level lock belongs to it.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({lockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
                if (seed is not null) await seed(scope.ServiceProvider, cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
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
}
