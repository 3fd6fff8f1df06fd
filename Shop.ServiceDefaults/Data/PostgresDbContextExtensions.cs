using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class PostgresDbContextExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> (pooled, with retries, telemetry and a health check that queries the
    /// server) on the PostgreSQL database named <paramref name="connectionName"/>, with the connection settings every Shop service
    /// shares (<see cref="WithShopSessionSettings"/>) and the service's own <paramref name="serverSettings"/>.
    /// </summary>
    /// <param name="serverSettings">
    /// PostgreSQL settings for every session of this service (name → value, e.g. <c>random_page_cost</c> → <c>1.1</c>),
    /// sent when a connection starts: they hold for its whole life, whatever the server's configuration says.
    /// </param>
    public static IHostApplicationBuilder AddShopDbContext<TContext>(this IHostApplicationBuilder builder, string connectionName,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null, IReadOnlyDictionary<string, string>? serverSettings = null)
        where TContext : DbContext
    {
        builder.AddNpgsqlDbContext<TContext>(connectionName,
            settings =>
            {
                settings.ConnectionString = WithShopSessionSettings(settings.ConnectionString, serverSettings);
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
    /// <paramref name="serverSettings"/> are added to the connection's startup <c>Options</c> (<c>-c name=value</c>).
    /// The pool holds at most <see cref="MaxPoolSize"/> connections unless the connection string sets its own size.
    /// <see langword="null"/> stays <see langword="null"/>, so Aspire's own "missing connection string" error still reports it.
    /// </summary>
    public static string? WithShopSessionSettings(string? connectionString, IReadOnlyDictionary<string, string>? serverSettings = null)
    {
        if (connectionString is null) return null;
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            NoResetOnClose = true,
            MaxAutoPrepare = MaxAutoPrepare,
            AutoPrepareMinUsages = AutoPrepareMinUsages,
        };
        // Npgsql refuses a maximum below the minimum: a string that asks for a larger minimum gets it as its maximum.
        if (!SetsPoolSize(connectionString)) builder.MaxPoolSize = Math.Max(MaxPoolSize, builder.MinPoolSize);
        if (serverSettings is { Count: > 0 })
        {
            builder.Options = string.Join(' ', new[] { builder.Options }.Concat(serverSettings.Select(s => $"-c {s.Key}={s.Value}"))
                .Where(option => !string.IsNullOrWhiteSpace(option)));
        }
        return builder.ConnectionString;
    }

    /// <summary>Statements prepared per connection; an order's hot path uses about twenty distinct ones per database.</summary>
    public const int MaxAutoPrepare = 50;

    /// <summary>
    /// Connections per database per process, unless the connection string says otherwise (Npgsql's default is 100).
    /// A request waits for a free connection in the pool instead of becoming one more server process competing for the
    /// same two cores: under the closed-loop benchmark a service held 33 connections and PostgreSQL ran 86 processes;
    /// with 8, 37 processes and a third less PostgreSQL CPU per order; with 4, 25 processes and a quarter less again,
    /// and the mix's step mode no worse; 8 against 4 on the orders scenario differed less than its rounds did, and only
    /// 8 answered 503 when offered 1,000 orders/s (README, Benchmarks). No request holds two connections at once (EF opens one
    /// per operation), so a small pool cannot deadlock on itself. What it costs: a connection held long (order-api's
    /// relay keeps one for its transaction while Kafka acknowledges a batch) is a quarter of the pool, and under
    /// overload requests and <c>/health</c> queue for a connection, which <c>PostgresPoolMonitor</c> reports as DEGRADED.
    /// </summary>
    public const int MaxPoolSize = 4;

    private static bool SetsPoolSize(string connectionString)
    {
        // The base builder keeps the keys as written; Npgsql's spellings for the size are "Maximum Pool Size" and "MaxPoolSize".
        var keys = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>();
        return keys.Any(key => key.Equals("Maximum Pool Size", StringComparison.OrdinalIgnoreCase)
            || key.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Executions on one connection before a statement is prepared (Npgsql's default).</summary>
    public const int AutoPrepareMinUsages = 5;
}
