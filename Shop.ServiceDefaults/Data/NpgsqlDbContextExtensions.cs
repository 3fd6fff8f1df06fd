using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class NpgsqlDbContextExtensions
{
    /// <summary>
    /// Statements a connection keeps prepared on the server. The services run a few dozen distinct statements on
    /// their hot paths; a prepared one skips PostgreSQL's parse and plan on every later run (measured in
    /// pg_stat_statements, see README, Performance).
    /// </summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>Runs of the same SQL on a connection before Npgsql prepares it, so one-off statements stay unprepared.</summary>
    public const int AutoPrepareMinUsages = 2;

    /// <summary>
    /// Aspire's pooled DbContext for the connection string <paramref name="connectionName"/>, with Npgsql's automatic
    /// preparation of repeated statements (Max Auto Prepare) unless the connection string sets it.
    /// </summary>
    public static void AddShopNpgsqlDbContext<TContext>(this IHostApplicationBuilder builder, string connectionName,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null)
        where TContext : DbContext =>
        builder.AddNpgsqlDbContext<TContext>(connectionName,
            settings => settings.ConnectionString = WithAutoPrepare(settings.ConnectionString),
            configureDbContextOptions);

    public static string? WithAutoPrepare(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString)) return connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
            builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }
        return builder.ConnectionString;
    }
}
