using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.AppHost.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Platform;

[Collection(ShopCollection.Name)]
public sealed class ContainerRuntimeProbeTests(ShopAppFixture fixture)
{
    private static readonly string[] ContainerClis = ["docker", "podman"];

    [Fact]
    public void The_run_names_a_container_runtime_whose_cli_is_not_installed()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var configured = fixture.App.Services.GetRequiredService<IConfiguration>()[ContainerRuntimeProbe.ContainerRuntimeKey];

        Assert.Equal(ContainerRuntimeProbe.UninstalledRuntime(path), configured);
        if (configured is not null)
        {
            Assert.DoesNotContain(path, dir => File.Exists(Path.Combine(dir, configured)));
        }
    }

    [Fact]
    public async Task DCP_starts_no_container_cli_while_the_app_runs()
    {
        // DCP checks its runtime every 5 s, and one docker CLI process lives about 65 ms here: 11 s at 20 ms sees two checks.
        var seen = new HashSet<int>(ProcessTable.AllPids());
        var started = new List<string>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(11))
        {
            foreach (var pid in ProcessTable.AllPids().Where(seen.Add))
            {
                var name = ProcessTable.Name(pid);
                if (ContainerClis.Contains(name)) started.Add($"{pid}: {ProcessTable.CommandLine(pid)}");
            }
            await Task.Delay(20);
        }
        Assert.Empty(started);
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

            Assert.Equal("docker", ContainerRuntimeProbe.UninstalledRuntime([]));
            Assert.Equal("podman", ContainerRuntimeProbe.UninstalledRuntime([withDocker.FullName]));
            Assert.Null(ContainerRuntimeProbe.UninstalledRuntime([withDocker.FullName, withBoth.FullName]));
        }
        finally
        {
            withDocker.Delete(recursive: true);
            withBoth.Delete(recursive: true);
        }
    }
}
