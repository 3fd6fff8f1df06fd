namespace Shop.AppHost.Hosting;

/// <summary>
/// DCP checks its container runtime every 5 seconds for as long as it runs, whether or not the application has a
/// container (DCP's <c>internal/docker/cli_orchestrator.go</c>, <c>EnsureBackgroundStatusUpdates</c>): with Docker's
/// CLI installed, that is <c>docker --version</c> and <c>docker network ls</c> each time, two processes of a 40 MB Go
/// program, 0.027 of DCP's 0.045 cores at idle here (<c>./shop bench perf --rows idle --idle 60</c>, README
/// "Benchmarks"). Shop's run mode declares no container (PostgreSQL and Redis are executables, Kafka runs in the
/// AppHost), so the AppHost names as DCP's runtime a supported one whose CLI is not installed: DCP's check then fails
/// at its PATH lookup, without starting a process, and DCP runs executables as before.
/// </summary>
public static class UninstalledContainerRuntime
{
    /// <summary>Aspire's setting for DCP's runtime, passed to DCP as <c>--container-runtime</c>; it wins over the variables below.</summary>
    public const string ContainerRuntimeKey = "DcpPublisher:ContainerRuntime";

    /// <summary>The environment variable Aspire documents for choosing the runtime.</summary>
    public const string ContainerRuntimeVariable = "ASPIRE_CONTAINER_RUNTIME";

    /// <summary>Its older name, still read by Aspire.</summary>
    public const string LegacyContainerRuntimeVariable = "DOTNET_ASPIRE_CONTAINER_RUNTIME";

    /// <summary>The configuration keys by which a runtime is chosen: a value under any of them leaves the choice alone.</summary>
    public static readonly string[] RuntimeChoiceKeys = [ContainerRuntimeKey, ContainerRuntimeVariable, LegacyContainerRuntimeVariable];

    /// <summary>The runtimes DCP accepts (<c>internal/containers/flags/container_runtime.go</c>), its default first.</summary>
    private static readonly string[] SupportedRuntimes = ["docker", "podman"];

    /// <summary>
    /// Call once every resource is declared. Changes nothing in publish mode, when a resource is a container, when a
    /// runtime was chosen (<see cref="ContainerRuntimeKey"/>, <see cref="ContainerRuntimeVariable"/> or
    /// <see cref="LegacyContainerRuntimeVariable"/>), or when every supported runtime's CLI is installed. A container
    /// declared after this call stops the start with an error that says so, instead of DCP's "no container runtime".
    /// </summary>
    public static IDistributedApplicationBuilder UseUninstalledContainerRuntimeWhenNoContainers(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode
            || HasContainer(builder.Resources)
            || RuntimeChoiceKeys.Any(key => !string.IsNullOrEmpty(builder.Configuration[key]))
            || FirstUninstalled() is not { } runtime)
        {
            return builder;
        }

        builder.Configuration[ContainerRuntimeKey] = runtime;
        builder.Eventing.Subscribe<BeforeStartEvent>((startup, _) => HasContainer(startup.Model.Resources)
            ? throw new DistributedApplicationException(
                $"A container was declared after {nameof(UseUninstalledContainerRuntimeWhenNoContainers)} named '{runtime}' (not installed) as DCP's " +
                $"container runtime. Call it after the last resource, or choose a runtime with {ContainerRuntimeVariable}.")
            : Task.CompletedTask);
        return builder;
    }

    /// <summary>
    /// The first runtime DCP supports whose CLI is in none of <paramref name="pathDirectories"/> (by default, PATH's
    /// folders); null when all are. A file there counts as installed even without its execute bit (which DCP's lookup
    /// needs): that errs towards changing nothing.
    /// </summary>
    public static string? FirstUninstalled(IEnumerable<string>? pathDirectories = null)
    {
        var directories = (pathDirectories ?? Prerequisites.PathDirectories()).ToList();
        return SupportedRuntimes.FirstOrDefault(runtime => Prerequisites.FindOnPath(runtime, directories) is null);
    }

    private static bool HasContainer(IEnumerable<IResource> resources) => resources.Any(resource => resource.IsContainer());
}
