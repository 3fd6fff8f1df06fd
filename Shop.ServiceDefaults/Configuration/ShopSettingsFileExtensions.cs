using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults.Configuration;

public static class ShopSettingsFileExtensions
{
    /// <summary>Environment/configuration key naming the shared, live-reloaded settings file the AppHost hands to every service.</summary>
    public const string SettingsFileKey = "SHOP_SETTINGS_FILE";

    /// <summary>
    /// The original design's config centre with watch: one JSON file, shared by all services, reloaded on change.
    /// Tunables (rate limits, breaker thresholds, cache TTLs, drain time) are read through IOptionsMonitor, so an
    /// edit takes effect without a restart. Values in this file override appsettings.json and environment variables.
    /// </summary>
    public static TBuilder AddShopSettingsFile<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var path = builder.Configuration[SettingsFileKey];
        if (!string.IsNullOrWhiteSpace(path))
        {
            // A broken or half-written edit must not bring a running service down: past the first load, a file that
            // does not parse leaves the defaults in force until the next good edit (at start-up it still fails the start).
            var started = false;
            builder.Configuration.AddJsonFile(source =>
            {
                source.Path = Path.GetFullPath(path);
                source.Optional = true;
                source.ReloadOnChange = true;
                source.ResolveFileProvider();
                source.OnLoadException = context => context.Ignore = started;
            });
            started = true;
        }
        return builder;
    }
}
