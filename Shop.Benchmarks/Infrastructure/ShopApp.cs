using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.ServiceDefaults.Configuration;
using Shop.Testing;

namespace Shop.Benchmarks.Infrastructure;

/// <summary>Starts the real AppHost (Release build of the services) on a temporary database for a benchmark run.</summary>
public sealed class ShopApp : IAsyncDisposable
{
    public required DistributedApplication App { get; init; }

    private string DataDirectory { get; init; } = "";

    /// <param name="settings">Values set in the run's copy of shop.settings.json, each key a ':'-separated path.</param>
    /// <param name="extraArgs">Further AppHost arguments.</param>
    /// <param name="dashboard">Run Aspire's dashboard too.</param>
    public static async Task<ShopApp> StartAsync(IEnumerable<(string Key, JsonNode Value)> settings, string[]? extraArgs = null, bool dashboard = false)
    {
        var dataDirectory = Path.Combine("/tmp/shop-bench", Guid.NewGuid().ToString("N"));
        // Figures only on the console: resource output (PostgreSQL's own log lines) stays in the resources' logs, where
        // the dashboard shows them, and is not followed at all without it, as under `./shop run`.
        var builder = await ShopAppHostBuilder.CreateAsync(dataDirectory, extraArgs ?? [], dashboard: dashboard, settings: settings,
            forwardResourceLogs: false);
        // The AppHost's health probes log their failures while a service starts.
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        var app = await builder.BuildAsync();
        await app.StartAsync();
        foreach (var resource in new[] { ShopResources.UserApi, ShopResources.ProductApi, ShopResources.OrderApi, ShopResources.Notifier, ShopResources.BasketApi, ShopResources.Gateway, ShopResources.WebApp })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource);
        }
        return new ShopApp { App = app, DataDirectory = dataDirectory };
    }

    /// <summary>The dashboard's address with its login token, when it runs.</summary>
    public string? DashboardLoginUrl
    {
        get
        {
            var configuration = App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
            var dashboard = App.Services.GetRequiredService<DistributedApplicationModel>().Resources
                .OfType<IResourceWithEndpoints>().FirstOrDefault(r => r.Name == "aspire-dashboard");
            var endpoints = dashboard?.GetEndpoints().Where(e => e.IsAllocated).ToList() ?? [];
            var url = (endpoints.FirstOrDefault(e => e.EndpointName == "http") ?? endpoints.FirstOrDefault())?.Url;
            var token = configuration["AppHost:BrowserToken"];
            return url is null ? null : token is null ? url : $"{url.TrimEnd('/')}/login?t={token}";
        }
    }

    public HttpClient CreateHttpClient(string resource, string endpoint = "http") => App.CreateHttpClient(resource, endpoint);

    public Uri GetEndpoint(string resource, string endpoint = "http") => App.GetEndpoint(resource, endpoint);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}
