using System.Diagnostics;
using Shop.AppHost.Hosting;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Platform;

[Collection(ShopCollection.Name)]
public sealed class UninstalledContainerRuntimeTests(ShopAppFixture fixture)
{
    private static readonly string[] ContainerClis = ["docker", "podman"];

    [Fact]
    public void DCP_is_started_with_a_container_runtime_whose_cli_is_not_installed()
    {
        Assert.NotNull(fixture.App); // the shared app (and its DCP) runs
        var dcp = ProcessTable.OurDcpServers();
        Assert.NotEmpty(dcp);

        var expected = ChosenRuntime() ?? UninstalledContainerRuntime.FirstUninstalled();
        foreach (var pid in dcp)
        {
            var commandLine = ProcessTable.CommandLine(pid);
            if (expected is null) Assert.DoesNotContain("--container-runtime", commandLine);
            else Assert.Contains($"--container-runtime {expected}", commandLine);
        }
    }

    [Fact]
    public async Task DCP_starts_no_container_cli_while_the_app_runs()
    {
        // Where Docker's CLI is installed, DCP ran it twice every 5 s, about 65 ms each here: 11 s at 20 ms sees two rounds.
        Assert.NotNull(fixture.App);
        var family = ProcessTable.WithDescendants(ProcessTable.OurDcpServers());
        var seen = new HashSet<int>(ProcessTable.AllPids());
        var children = new HashSet<int>(); // DCP's new children: a fork is named after DCP until it execs, so read again
        var started = new List<string>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(11))
        {
            children.UnionWith(ProcessTable.AllPids().Where(seen.Add).Where(pid => family.Contains(ProcessTable.ParentOf(pid))));
            foreach (var pid in children.ToList())
            {
                if (!ProcessTable.IsAlive(pid)) children.Remove(pid);
                else if (ContainerClis.Contains(ProcessTable.Name(pid)))
                {
                    started.Add($"{pid}: {ProcessTable.CommandLine(pid)}");
                    children.Remove(pid);
                }
            }
            await Task.Delay(20);
        }
        Assert.Empty(started);
    }

    [Fact]
    public async Task A_container_declared_after_the_runtime_was_named_stops_the_start_with_the_reason()
    {
        // Where both CLIs are installed, or a runtime is chosen, the AppHost names none, and there is nothing to guard.
        if (UninstalledContainerRuntime.FirstUninstalled() is null || ChosenRuntime() is not null) return;
        var runDirectory = Path.Combine("/tmp/shop-tests", Guid.NewGuid().ToString("N"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var builder = await Shop.Testing.ShopAppHostBuilder.CreateAsync(runDirectory, [], cts.Token);
        builder.AddContainer("late-container", "busybox");
        await using var app = await builder.BuildAsync(cts.Token);
        try
        {
            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(cts.Token));
            // Aspire's eventing wraps a subscriber's exception.
            var refused = Assert.IsType<DistributedApplicationException>((thrown as AggregateException)?.Flatten().InnerExceptions.Single() ?? thrown);
            Assert.Contains("declared after", refused.Message);
            Assert.Contains(UninstalledContainerRuntime.ContainerRuntimeVariable, refused.Message);
        }
        finally
        {
            Directory.Delete(runDirectory, recursive: true);
        }
    }

    [Fact]
    public void The_runtime_named_is_the_first_supported_one_not_installed()
    {
        var withDocker = Directory.CreateTempSubdirectory("shop-path-");
        var withBoth = Directory.CreateTempSubdirectory("shop-path-");
        try
        {
            File.WriteAllText(Path.Combine(withDocker.FullName, "docker"), "");
            File.WriteAllText(Path.Combine(withBoth.FullName, "docker"), "");
            File.WriteAllText(Path.Combine(withBoth.FullName, "podman"), "");

            Assert.Equal("docker", UninstalledContainerRuntime.FirstUninstalled([]));
            Assert.Equal("podman", UninstalledContainerRuntime.FirstUninstalled([withDocker.FullName]));
            Assert.Null(UninstalledContainerRuntime.FirstUninstalled([withDocker.FullName, withBoth.FullName]));
        }
        finally
        {
            withDocker.Delete(recursive: true);
            withBoth.Delete(recursive: true);
        }
    }

    /// <summary>A runtime chosen in this process's environment, under any of the keys the AppHost reads.</summary>
    private static string? ChosenRuntime() =>
        UninstalledContainerRuntime.RuntimeChoiceKeys.Select(ShopConfigurationKeys.ToEnvironmentVariable)
            .Select(Environment.GetEnvironmentVariable).FirstOrDefault(value => !string.IsNullOrEmpty(value));
}
