using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class PostgresDbContextExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> (pooled, with retries, telemetry and a health check that queries the
    /// server) on the PostgreSQL database named <paramref name="connectionName"/>, with the connection settings every Shop service
    /// shares (<see cref="WithShopSessionSettings"/>).
    /// </summary>
    public static IHostApplicationBuilder AddShopDbContext<TContext>(this IHostApplicationBuilder builder, string connectionName,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null) where TContext : DbContext
    {
        builder.AddNpgsqlDbContext<TContext>(connectionName,
            settings =>
            {
                settings.ConnectionString = WithShopSessionSettings(settings.ConnectionString);
                settings.DisableHealthChecks = true;
            },
            configureDbContextOptions);
        // Aspire's check only opens a connection, and an idle pooled connection opens without a round trip: with the
        // server gone, the check kept answering healthy from the pool for about a minute. A query goes to the server.
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(typeof(TContext).Name,
            customTestQuery: async (db, cancellationToken) =>
            {
                // On the connection itself: through EF the execution strategy would retry a server that is down.
                var connection = db.Database.GetDbConnection();
                await connection.OpenAsync(cancellationToken);
                try
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT 1";
                    await command.ExecuteScalarAsync(cancellationToken);
                    return true;
                }
                finally
                {
                    await connection.CloseAsync();
                }
            });
        return builder;
    }

    /// <summary>
    /// The connection string with <c>No Reset On Close</c> and automatic preparation. A connection returned to Npgsql's pool is not reset
    /// (<c>DISCARD ALL</c>, a transaction of its own on the server) on its next use. Shop's services leave no session
    /// state behind (no <c>SET</c>, temporary tables, <c>LISTEN</c> or held session locks: the migration lock is released
    /// in a <c>finally</c>), and EF opens and closes the connection around every operation, so the reset was about
    /// eight of the fifteen transactions each order cost ordersdb (pg_stat_statements, README "Measured").
    /// Kept sessions make server-side prepared statements pay: a statement run <see cref="AutoPrepareMinUsages"/> times
    /// on a connection is prepared there, up to <see cref="MaxAutoPrepare"/> per connection, and then skips parsing
    /// and planning (Npgsql's "Automatic preparation"; EF's SQL is parameterised, so the hot statements repeat).
    /// <see langword="null"/> stays <see langword="null"/>, so Aspire's own "missing connection string" error still reports it.
    /// </summary>
    public static string? WithShopSessionSettings(string? connectionString) => connectionString is null
        ? null
        : new NpgsqlConnectionStringBuilder(connectionString)
        {
            NoResetOnClose = true,
            MaxAutoPrepare = MaxAutoPrepare,
            AutoPrepareMinUsages = AutoPrepareMinUsages,
        }.ConnectionString;

    /// <summary>Statements prepared per connection; an order's hot path uses about twenty distinct ones per database.</summary>
    public const int MaxAutoPrepare = 50;

    /// <summary>Executions on one connection before a statement is prepared (Npgsql's default).</summary>
    public const int AutoPrepareMinUsages = 5;
}
