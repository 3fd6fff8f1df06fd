using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Shop.Benchmarks.Infrastructure;

/// <summary>
/// The real AppHost as the tests and the benchmarks start it: no dashboard, PostgreSQL on a throw-away data folder.
/// </summary>
public static class ShopAppHostBuilder
{
    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync(
        string postgresDataDirectory, IEnumerable<string> extraArgs, CancellationToken cancellationToken = default)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Shop_AppHost>(
            [$"--Postgres:DataDirectory={postgresDataDirectory}", .. extraArgs],
            (options, _) => options.DisableDashboard = true,
            cancellationToken);

        // Without the dashboard nothing receives OTLP, and an exporter retrying an absent collector burns CPU and
        // holds up a service's stop. Instrumentation stays on (traces still propagate); only the export is dropped.
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context =>
                context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }
        return builder;
    }
}
