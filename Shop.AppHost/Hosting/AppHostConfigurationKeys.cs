namespace Shop.AppHost.Hosting;

/// <summary>
/// The AppHost's own configuration keys (':'-separated), which choose how a run is set up. They are given as
/// <c>--Key=value</c> arguments: by hand, or by Shop.Testing's ShopAppHostBuilder for the tests and the benchmarks.
/// </summary>
public static class AppHostConfigurationKeys
{
    /// <summary>
    /// Path of the live-reloaded tunables file every service reads; by default shop.settings.json beside the AppHost.
    /// The tests and the benchmarks point each run at a copy of its own.
    /// </summary>
    public const string SettingsFile = "Shop:SettingsFile";

    /// <summary>The settings file's name: the committed one beside the AppHost, and each test run's copy.</summary>
    public const string SettingsFileName = "shop.settings.json";

    /// <summary>Replicas of product-api and order-api (an int); by default 2 in publish mode, 1 in run mode.</summary>
    public const string Replicas = "Shop:Replicas";

    /// <summary>
    /// Run mode: the folder of the local PostgreSQL server's files, kept across runs; by default a "shop" folder of the
    /// user's (/var/lib/shop as root).
    /// </summary>
    public const string PostgresDataDirectory = "Postgres:DataDirectory";

    /// <summary>Run mode on Linux: <c>false</c> lets DCP start services through <c>dotnet run</c> (see <see cref="DirectProjectLaunch"/>).</summary>
    public const string DirectLaunch = "Shop:DirectLaunch";
}
