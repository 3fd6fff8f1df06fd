using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults.Configuration;

public static class ShopSettingsFileExtensions
{
    /// <summary>
    /// The shared tunables file (rate limits, breaker thresholds, cache TTLs, drain time), one JSON file for all
    /// services, reloaded on change: tunables are read through IOptionsMonitor, so an edit takes effect without a restart.
    /// It ranks above appsettings.json and beneath environment variables and command-line arguments, the usual .NET
    /// order, so a value given to one process for one run wins over the shared file. The file's folder is watched with
    /// all its subfolders (PhysicalFileProvider's watcher), so it belongs in a folder where nothing else is written.
    /// </summary>
    public static TBuilder AddShopSettingsFile<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var path = builder.Configuration[ShopConfigurationKeys.SettingsFile];
        if (string.IsNullOrWhiteSpace(path))
        {
            return builder;
        }

        // A broken or half-written edit must not bring a running service down: past the first load, a file that does
        // not parse leaves the last good values in force until the next good edit (at start-up it still fails the start).
        var started = false;
        var settingsFile = new ConfigurationBuilder().AddJsonFile(source =>
        {
            source.Path = Path.GetFullPath(path);
            source.Optional = true;
            source.ReloadOnChange = true;
            source.ResolveFileProvider();
            source.OnLoadException = context => context.Ignore = started;
        }).Sources[0];
        var sources = builder.Configuration.Sources;
        sources.Insert(IndexAboveLastFile(sources), settingsFile);
        started = true;
        return builder;
    }

    /// <summary>
    /// Just above the last file source (appsettings.json, appsettings.{Environment}.json, user secrets), which the
    /// default builders add before the environment variables and arguments. (Not "before the trailing environment
    /// sources": WebApplicationBuilder appends a chained ASPNETCORE_ source after them.)
    /// </summary>
    private static int IndexAboveLastFile(IList<IConfigurationSource> sources)
    {
        for (var index = sources.Count - 1; index >= 0; index--)
        {
            if (sources[index] is FileConfigurationSource)
            {
                return index + 1;
            }
        }
        return 0;
    }
}
