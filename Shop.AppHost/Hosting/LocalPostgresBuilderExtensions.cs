using HealthChecks.NpgSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Shop.AppHost.Hosting;

/// <summary>
/// Run-mode PostgreSQL without a container engine: DCP runs Debian's server binaries as an executable resource.
/// The shape follows Aspire.Hosting.PostgreSQL (server + child databases, health checks, WaitFor), so the AppHost
/// switches to Aspire's container resource for publishing without touching the services.
/// </summary>
public static class LocalPostgresBuilderExtensions
{
    private const string RunScript = "Hosting/Scripts/postgres-run.sh";

    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource>? password = null)
    {
        var passwordParameter = password?.Resource
            ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var server = new LocalPostgresServerResource(name, DefaultDataDirectory(name), passwordParameter);
        var port = LoopbackPort.Allocate();
        string? binDirectory = null;

        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            binDirectory = Prerequisites.FindPostgresBin() ?? throw Prerequisites.Missing("PostgreSQL (server binaries under /usr/lib/postgresql)", "postgresql");
            if (Environment.UserName == "root" && Prerequisites.FindOnPath("setpriv") is null)
            {
                throw Prerequisites.Missing("setpriv (PostgreSQL refuses to run as root)", "util-linux");
            }
            return Task.CompletedTask;
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey,
            _ => new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(HealthCheckConnectionString(server, port))),
            failureStatus: default, tags: default));

        return builder.AddResource(server)
            .WithEndpoint(port: port, targetPort: port, name: LocalPostgresServerResource.PrimaryEndpointName, isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add(Path.Combine(AppContext.BaseDirectory, RunScript));
                context.Args.Add(binDirectory!);
                context.Args.Add(server.DataDirectory);
                context.Args.Add(port.ToString());
            })
            .WithHealthCheck(healthCheckKey)
            .OnResourceReady(async (resource, @event, cancellationToken) =>
            {
                await PrepareDatabasesAsync(resource, port, cancellationToken);
                await PublishDatabasesRunningAsync(resource, @event.Services);
            })
            .WithIconName("DatabaseMultiple");
    }

    /// <summary>Keeps the server's files in <paramref name="path"/> (like a data volume): they survive AppHost restarts.</summary>
    public static IResourceBuilder<LocalPostgresServerResource> WithDataDirectory(
        this IResourceBuilder<LocalPostgresServerResource> builder, string path)
    {
        builder.Resource.DataDirectory = Path.GetFullPath(path);
        return builder;
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, string name, string? databaseName = null)
    {
        databaseName ??= name;
        builder.Resource.AddDatabase(name, databaseName);
        var database = new LocalPostgresDatabaseResource(name, databaseName, builder.Resource);

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey,
            _ => new DatabaseHealthCheck(database), failureStatus: default, tags: default));

        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.database", databaseName)],
            })
            .WithParentRelationship(builder)
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Database");
    }

    private static string AdminConnectionString(LocalPostgresServerResource server, int port) =>
        $"Host={server.SocketDirectory};Port={port};Username={LocalPostgresServerResource.UserName};Database=postgres;Pooling=false;Timeout=5";

    /// <summary>
    /// The server's check runs for the server and again for each of its databases (Aspire checks a resource's parents
    /// too), every 30 s each: ten a minute. Unpooled, each was a new PostgreSQL backend, about 25 ms of CPU on this
    /// machine to start and end, most of what PostgreSQL spent at rest besides autovacuum. A kept connection answers
    /// SELECT 1; after a server restart the broken one fails a check and is replaced.
    /// </summary>
    private static string HealthCheckConnectionString(LocalPostgresServerResource server, int port) =>
        $"Host={server.SocketDirectory};Port={port};Username={LocalPostgresServerResource.UserName};Database=postgres;Maximum Pool Size=2;Timeout=5";

    /// <summary>
    /// Sets the (generated) password and creates missing databases over the trusted Unix socket, as Aspire's
    /// PostgreSQL integration does once its container is ready.
    /// </summary>
    private static async Task PrepareDatabasesAsync(LocalPostgresServerResource server, int port, CancellationToken cancellationToken)
    {
        var password = await server.PasswordParameter.GetValueAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(AdminConnectionString(server, port));
        await connection.OpenAsync(cancellationToken);

        await ExecuteFormattedAsync(connection, "SELECT format('ALTER ROLE postgres PASSWORD %L', $1)", password, cancellationToken);
        await using (var statements = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
        {
            await statements.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var databaseName in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
            {
                Parameters = { new() { Value = databaseName } },
            };
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await ExecuteFormattedAsync(connection, "SELECT format('CREATE DATABASE %I', $1)", databaseName, cancellationToken);
            }
        }
    }

    private static async Task PublishDatabasesRunningAsync(LocalPostgresServerResource server, IServiceProvider services)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var model = services.GetRequiredService<DistributedApplicationModel>();
        foreach (var database in model.Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == server))
        {
            await notifications.PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        }
    }

    /// <summary>Checks a database over TCP with the password, exactly as the services will connect.</summary>
    private sealed class DatabaseHealthCheck(LocalPostgresDatabaseResource database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken);
            return await new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(connectionString!)).CheckHealthAsync(context, cancellationToken);
        }
    }

    // DDL takes no parameters: let the server quote the value (format %L / %I), then run the statement.
    private static async Task ExecuteFormattedAsync(NpgsqlConnection connection, string formatSql, string? argument, CancellationToken cancellationToken)
    {
        await using var format = new NpgsqlCommand(formatSql, connection) { Parameters = { new() { Value = argument } } };
        var statement = (string)(await format.ExecuteScalarAsync(cancellationToken))!;
        await using var command = new NpgsqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string DefaultDataDirectory(string name) =>
        Environment.UserName == "root"
            // The postgres account must reach the folder, and root's home is closed to it.
            ? Path.Combine("/var/lib/shop", name)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "shop", name);
}
