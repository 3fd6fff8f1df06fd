using Microsoft.EntityFrameworkCore;

namespace Shop.Data;

public static class MigrationExtensions
{
    /// <summary>
    /// Applies pending migrations under a PostgreSQL advisory lock, so replicas starting together migrate one
    /// after the other (the second finds nothing left to do).
    /// </summary>
    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var lockKey = (long)StableHash(typeof(TContext).FullName!);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({lockKey})", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }
            return hash;
        }
    }
}
