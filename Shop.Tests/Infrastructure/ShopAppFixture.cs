using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.AppHost.Hosting;
using Shop.ServiceDefaults.Configuration;
using Shop.Testing;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Starts the real AppHost (PostgreSQL, Redis, embedded Kafka and every service) once for a test collection,
/// on a temporary PostgreSQL data folder, and stops all of it afterwards.
/// </summary>
public sealed class ShopAppFixture : IAsyncLifetime
{
    public static readonly string[] Projects = [ShopResources.UserApi, ShopResources.ProductApi, ShopResources.OrderApi, ShopResources.Notifier, ShopResources.BasketApi, ShopResources.Gateway, ShopResources.WebApp];
    public static readonly string[] BackingResources = [ShopResources.Postgres, ShopResources.UsersDb, ShopResources.ProductsDb, ShopResources.OrdersDb, ShopResources.NotificationsDb, ShopResources.Redis, ShopResources.Kafka];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromMinutes(1);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app is not started.");

    public string RunDirectory { get; } = Path.Combine("/tmp/shop-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The collection's browser, for its storefront tests; closed with the app.</summary>
    public Browser.SharedChromium Chromium { get; } = new();

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        _app = await StartAsync(RunDirectory, cts.Token);
    }

    public static async Task<DistributedApplication> StartAsync(string runDirectory, CancellationToken cancellationToken)
    {
        // Two replicas of product-api and order-api (a dev run has one): the failover and fault tests stop or kill one.
        var builder = await ShopAppHostBuilder.CreateAsync(runDirectory, [$"--{AppHostConfigurationKeys.Replicas}=2"], cancellationToken, settings: TestSettings);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning)
            // Aspire's health probes log every refused connection while resources start and stop; tests assert health themselves.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            // PostgreSQL writes its whole log to stderr, which the host reports as errors; the dashboard keeps it.
            .AddFilter("Shop.AppHost.Resources.postgres", LogLevel.None)
            // The services' own errors, for a test's failure message (CI keeps no service log).
            .AddProvider(ServiceFailureLog.Instance)
            .AddFilter<ServiceFailureLog>(ServiceFailureLog.ResourceCategoryPrefix.TrimEnd('.'), LogLevel.Information));

        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        foreach (var resource in Projects.Concat(BackingResources))
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken);
        }
        return app;
    }

    /// <summary>
    /// The tests read what they assert from real traces, so every trace is recorded. Every test's anonymous request
    /// reaches the gateway through DCP's proxy, from one address: with the default limit (100 a minute) the whole suite
    /// would share one anonymous bucket, and whichever test came after the hundredth request would get a 429. The
    /// browser tests' shoppers all sign in from that one address too, and the login group allows 10 a minute per
    /// address. So the suite runs with both groups lifted; the rate-limit tests set the real limit for themselves
    /// (<see cref="OverrideSettingsAsync"/>).
    /// </summary>
    private static readonly (string Key, JsonNode Value)[] TestSettings =
    [
        ("Telemetry:Tracing:SampleAll", true),
        ("Gateway:RateLimiting:Default:TokenLimit", 1_000_000),
        ("Gateway:RateLimiting:Default:TokensPerPeriod", 1_000_000),
        ("Gateway:RateLimiting:Groups:login:TokenLimit", 1_000_000),
        ("Gateway:RateLimiting:Groups:login:TokensPerPeriod", 1_000_000),
    ];

    /// <summary>This app's own copy of shop.settings.json, which every service reloads on change.</summary>
    public string SettingsFile => ShopAppHostBuilder.SettingsFile(RunDirectory);

    /// <summary>
    /// Sets tunables in the live settings file (each key a ':'-separated path, as in configuration) until the
    /// returned handle is disposed, which restores the file. Written whole and renamed into place, so a service
    /// never reads half a file.
    /// </summary>
    public async Task<IAsyncDisposable> OverrideSettingsAsync(params (string Key, string Value)[] settings)
    {
        var original = await File.ReadAllTextAsync(SettingsFile);
        var root = JsonNode.Parse(original)!.AsObject();
        foreach (var (key, value) in settings) ShopAppHostBuilder.Set(root, key, value);
        await ReplaceSettingsAsync(root.ToJsonString());
        return new SettingsRestore(() => ReplaceSettingsAsync(original));
    }

    private async Task ReplaceSettingsAsync(string json)
    {
        var staging = SettingsFile + ".new";
        await File.WriteAllTextAsync(staging, json);
        File.Move(staging, SettingsFile, overwrite: true);
    }

    private sealed class SettingsRestore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }

    public HttpClient CreateHttpClient(string resource, string endpoint = "http") => App.CreateHttpClient(resource, endpoint);

    /// <summary>
    /// For a test that stopped or killed part of the shared system, once it started it again: waits until every
    /// resource is healthy and every instance of every service reports /health UP, the gateway's included. Aspire counts
    /// DEGRADED as healthy, but a DEGRADED service may still refuse the next test: a restarted service is healthy on its
    /// own port at once, yet the gateway routes to it only after its next probe (every 5 s) finds it so; a service whose
    /// account-state channel has not yet resubscribed after Redis came back refuses authenticated writes with 503.
    /// </summary>
    public async Task WaitForRecoveryAsync()
    {
        var deadline = DateTime.UtcNow + RecoveryTimeout;
        using var timeout = new CancellationTokenSource(RecoveryTimeout);
        // A restarted resource may pass through a failed state on its way back (DCP recreating its executable: CI on
        // 8a9889e saw redis "failed to start" while it came up): wait through it, within the deadline.
        foreach (var resource in Projects.Concat(BackingResources))
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
        }
        foreach (var project in Projects)
        {
            await Eventually.ReturnsAsync(() => InstancesNotUpAsync(project), notUp => notUp.Length == 0, deadline - DateTime.UtcNow,
                $"every {project} instance reports /health UP (its dependencies reachable, its account-state channel subscribed)");
        }
    }

    /// <summary>
    /// The instances of <paramref name="project"/> that are not UP, each with why (its checks not UP, or unreachable),
    /// or that not all of them are started yet; "" when every one is UP.
    /// </summary>
    private async Task<string> InstancesNotUpAsync(string project)
    {
        IReadOnlyList<(string Instance, Uri Url)> instances;
        try
        {
            instances = await ResourceInstances.UrlsAsync(App, project, wait: TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException notStarted)
        {
            return notStarted.Message;
        }
        var notUp = new List<string>();
        foreach (var (instance, url) in instances)
        {
            using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                var health = await HealthAnswer.ReadAsync(client);
                if (health.Status != "UP") notUp.Add($"{instance} {health.Status} ({string.Join(", ", health.Checks.Where(c => c.Value != "UP").Select(c => $"{c.Key} {c.Value}"))})");
            }
            // A port briefly answered by something else than the service (JSON or not, no "status") is "not up" too.
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException
                or KeyNotFoundException or InvalidOperationException)
            {
                notUp.Add($"{instance} unreachable ({ex.GetType().Name})");
            }
        }
        return string.Join("; ", notUp);
    }

    public async Task<string> GetConnectionStringAsync(string resource) =>
        await App.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"'{resource}' has no connection string.");

    public Task ExecuteCommandAsync(string resource, string command) => ExecuteCommandAsync(App, resource, command);

    public static async Task ExecuteCommandAsync(DistributedApplication app, string resource, string command)
    {
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command);
        Assert.True(result.Success, $"Command '{command}' on '{resource}' failed: {result.Message}");
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Chromium.DisposeAsync();
        }
        finally
        {
            if (_app is not null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
            if (Directory.Exists(RunDirectory))
            {
                Directory.Delete(RunDirectory, recursive: true);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ShopCollection : ICollectionFixture<ShopAppFixture>
{
    public const string Name = "Shop app";
}
