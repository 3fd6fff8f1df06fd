using Microsoft.Extensions.Configuration;

namespace Shop.AppHost.Hosting;

public static class ShopPostgresExtensions
{
    /// <summary>
    /// PostgreSQL for this run: in publish mode Aspire's container with a data volume; in run mode a local server
    /// process (<see cref="LocalPostgresBuilderExtensions.AddLocalPostgres"/>), its files in
    /// <see cref="AppHostConfigurationKeys.PostgresDataDirectory"/> when that is configured.
    /// </summary>
    public static ShopPostgresServer AddShopPostgres(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ParameterResource> password)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            var container = builder.AddPostgres(name, password: password).WithDataVolume();
            return new ShopPostgresServer(database => container.AddDatabase(database));
        }

        var local = builder.AddLocalPostgres(name, password);
        if (builder.Configuration[AppHostConfigurationKeys.PostgresDataDirectory] is { Length: > 0 } dataDirectory)
        {
            local.WithDataDirectory(dataDirectory);
        }
        return new ShopPostgresServer(database => local.AddDatabase(database));
    }
}

/// <summary>The run's PostgreSQL server, whichever resource carries it; its databases are added through it.</summary>
public sealed class ShopPostgresServer(Func<string, IResourceBuilder<IResourceWithConnectionString>> addDatabase)
{
    public IResourceBuilder<IResourceWithConnectionString> AddDatabase(string name) => addDatabase(name);
}
