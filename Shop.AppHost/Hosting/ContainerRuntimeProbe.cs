namespace Shop.AppHost.Hosting;

/// <summary>
/// DCP checks its container runtime every 5 seconds for as long as it runs, whether or not the application has a
/// container: with Docker's CLI installed, that is <c>docker --version</c> and <c>docker network ls</c> each time, two
/// processes of a 40 MB Go program. On this machine that was 0.027 of DCP's 0.045 cores at idle
/// (<c>./shop bench perf --rows idle --idle 60</c>, README "Benchmarks"). Shop's run mode declares no container
/// (PostgreSQL and Redis are executables, Kafka runs in the AppHost), so the AppHost names, as DCP's container runtime,
/// a supported one whose CLI is not installed: DCP's check then ends at the PATH lookup, with no process started.
/// </summary>
public static class ContainerRuntimeProbe
{
    /// <summary>Aspire's setting for DCP's container runtime (<c>docker</c> or <c>podman</c>).</summary>
    public const string ContainerRuntimeKey = "DcpPublisher:ContainerRuntime";

    /// <summary>The runtimes DCP supports, its default first.</summary>
    private static readonly string[] SupportedRuntimes = ["docker", "podman"];

    /// <summary>
    /// Call last, once every resource is declared. Changes nothing in publish mode, when a resource is a container, when
    /// a runtime was chosen (<c>ASPIRE_CONTAINER_RUNTIME</c>, <c>DOTNET_ASPIRE_CONTAINER_RUNTIME</c> or
    /// <see cref="ContainerRuntimeKey"/>), or when both CLIs are installed.
    /// </summary>
    public static IDistributedApplicationBuilder WithoutContainerRuntimeProbeWhenNoContainers(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode
            || builder.Resources.OfType<ContainerResource>().Any()
            || new[] { ContainerRuntimeKey, "ASPIRE_CONTAINER_RUNTIME", "DOTNET_ASPIRE_CONTAINER_RUNTIME" }
                .Any(key => !string.IsNullOrEmpty(builder.Configuration[key])))
        {
            return builder;
        }
        if (UninstalledRuntime(Prerequisites.PathDirectories()) is { } runtime)
        {
            builder.Configuration[ContainerRuntimeKey] = runtime;
        }
        return builder;
    }

    /// <summary>The first runtime DCP supports whose CLI is in none of <paramref name="pathDirectories"/>; null when all are.</summary>
    public static string? UninstalledRuntime(IEnumerable<string> pathDirectories)
    {
        var directories = pathDirectories.ToList();
        return SupportedRuntimes.FirstOrDefault(runtime => Prerequisites.FindOnPath(runtime, directories) is null);
    }
}
