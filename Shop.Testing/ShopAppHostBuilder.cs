using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shop.AppHost.Hosting;

namespace Shop.Testing;

/// <summary>
/// The real AppHost as the tests and the benchmarks start it: by default no dashboard, and a throw-away run folder holding
/// PostgreSQL's data and the run's own copy of shop.settings.json (so a test can change tunables live).
/// </summary>
public static class ShopAppHostBuilder
{
    /// <summary>
    /// The run's settings copy, in a folder of its own: every service watches the file's folder with its subfolders
    /// (PhysicalFileProvider), so beside PostgreSQL's data each of its writes woke seven watchers (about 5 % of the
    /// machine's CPU under the order benchmark, measured with perf).
    /// </summary>
    public static string SettingsFile(string runDirectory) => Path.Combine(runDirectory, "settings", AppHostConfigurationKeys.SettingsFileName);

    public static string PostgresDirectory(string runDirectory) => Path.Combine(runDirectory, "postgres");

    /// <param name="dashboard">Run Aspire's dashboard too (receiving every service's telemetry), as `./shop run` does.</param>
    /// <param name="settings">Values set in this run's copy of shop.settings.json, each key a ':'-separated path.</param>
    /// <param name="forwardResourceLogs">
    /// Copy every resource's console output into this process's logging, as Aspire.Hosting.Testing does by default (a
    /// failing test's output then shows the services' logs). Off, DCP follows no resource's log files unless something
    /// asks for them, as under `./shop run`: following them, its API server read them about 140 times a second while
    /// nothing was written, 0.015 of the idle system's 0.105 cores (the benchmarks' idle row; README, Benchmarks).
    /// </param>
    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync(
        string runDirectory, IEnumerable<string> extraArgs, CancellationToken cancellationToken = default, bool dashboard = false,
        IEnumerable<(string Key, JsonNode Value)>? settings = null, bool forwardResourceLogs = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile(runDirectory))!);
        var appHostPath = Projects.Shop_AppHost.ProjectPath; // the project's folder (older SDKs: its .csproj)
        var appHostDirectory = Directory.Exists(appHostPath) ? appHostPath : Path.GetDirectoryName(appHostPath)!;
        var copy = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(appHostDirectory, AppHostConfigurationKeys.SettingsFileName), cancellationToken))!.AsObject();
        foreach (var (key, value) in settings ?? []) Set(copy, key, value);
        await File.WriteAllTextAsync(SettingsFile(runDirectory), copy.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Shop_AppHost>(
            [$"--{AppHostConfigurationKeys.PostgresDataDirectory}={PostgresDirectory(runDirectory)}",
                $"--{AppHostConfigurationKeys.SettingsFile}={SettingsFile(runDirectory)}", .. extraArgs],
            (options, _) =>
            {
                options.DisableDashboard = !dashboard;
                options.EnableResourceLogging = forwardResourceLogs;
            },
            cancellationToken);
        if (dashboard) return builder;

        // Without the dashboard nothing receives OTLP, and an exporter retrying an absent collector burns CPU and
        // holds up a service's stop. Instrumentation stays on (traces still propagate); only the export is dropped.
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context =>
                context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }
        return builder;
    }

    /// <summary>Sets a ':'-separated configuration path in a settings document, creating the sections on the way.</summary>
    public static void Set(JsonObject root, string key, JsonNode value)
    {
        var parts = key.Split(':');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = node[part] as JsonObject ?? (JsonObject)(node[part] = new JsonObject());
        }
        node[parts[^1]] = value.DeepClone(); // the same value may go into several documents (one per app started)
    }
}
