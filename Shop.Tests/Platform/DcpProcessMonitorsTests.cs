using Shop.AppHost.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Platform;

[Collection(ShopCollection.Name)]
public sealed class DcpProcessMonitorsTests(ShopAppFixture fixture)
{
    [Fact]
    public void DCP_runs_the_apps_executables_without_a_monitor_process_beside_each()
    {
        Assert.NotNull(fixture.App); // the shared app (and its DCP) runs
        var family = ProcessTable.WithDescendants(ProcessTable.OurDcpServers()).Select(ProcessTable.CommandLine).ToList();

        // The executables run under DCP (the AppHost's services and backing processes) ...
        Assert.Contains(family, commandLine => commandLine.Contains("Shop.UserApi"));
        // ... and none has DCP's monitor beside it (it had one each: nine for the test app).
        Assert.DoesNotContain(family, commandLine => commandLine.Contains(" monitor-process "));
        Assert.Equal("1", Environment.GetEnvironmentVariable(DcpProcessMonitors.DisableVariable));
    }
}
