using Shop.Benchmarks.Processes;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Tests.Bench;

/// <summary>The pure parts of the bench's per-process CPU accounting: /proc parsing, role names, per-window arithmetic.</summary>
public sealed class ProcessAccountingTests
{
    // A real line's shape (proc(5)); the command name holds a space and parentheses, as thread names may.
    private const string StatLine =
        "4242 (rdk:broker (1)) S 17 4242 4242 0 -1 4194560 300 0 0 0 1234 567 89 10 20 0 12 0 987654 1000000 2000 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

    [Fact]
    public void A_stat_line_is_parsed_at_the_last_parenthesis()
    {
        var stat = ProcStat.Parse(StatLine);

        Assert.Equal(4242, stat.Pid);
        Assert.Equal("rdk:broker (1)", stat.Comm);
        Assert.Equal(17, stat.ParentPid);
        Assert.Equal(1234 + 567, stat.OwnTicks);
        Assert.Equal(1234 + 567 + 89 + 10, stat.TicksWithReapedChildren);
        Assert.Equal(987654, stat.StartTicks);
    }

    [Fact]
    public void A_line_that_is_not_a_stat_line_is_refused()
    {
        Assert.Throws<FormatException>(() => ProcStat.Parse("4242 no parentheses here"));
        Assert.Throws<FormatException>(() => ProcStat.Parse("4242 (short) S 1 2"));
    }

    [Fact]
    public void This_process_reads_as_itself()
    {
        var stat = ProcStat.TryRead($"/proc/{Environment.ProcessId}/stat");

        Assert.NotNull(stat);
        Assert.Equal(Environment.ProcessId, stat.Pid);
        Assert.True(stat.OwnTicks > 0);
    }

    [Theory]
    [InlineData("Shop.OrderApi", new[] { "/work/x/Shop.OrderApi/bin/Release/net10.0/Shop.OrderApi" }, ShopResources.OrderApi)]
    [InlineData("dotnet", new[] { "/usr/share/dotnet/dotnet", "/work/x/Shop.ProductApi/bin/Debug/net10.0/Shop.ProductApi.dll" }, ShopResources.ProductApi)]
    [InlineData("Shop.Gateway", new[] { "/work/x/Shop.Gateway/bin/Debug/net10.0/Shop.Gateway", "--urls", "http://localhost:8080" }, ShopResources.Gateway)]
    [InlineData("Shop.WebApp", new[] { "/work/x/Shop.WebApp/bin/Release/net10.0/Shop.WebApp" }, ShopResources.WebApp)]
    [InlineData("postgres", new[] { "postgres: postgres ordersdb 127.0.0.1(53866) idle" }, ProcessRoles.PostgreSql)]
    [InlineData("runuser", new[] { "runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/postgres", "-D", "/tmp/d" }, ProcessRoles.PostgreSql)]
    [InlineData("redis-server", new[] { "redis-server 127.0.0.1:64580" }, ProcessRoles.Redis)]
    [InlineData("dcp", new[] { "/root/.nuget/packages/aspire.hosting.orchestration.linux-x64/13.6.5/tools/dcp", "run-controllers" }, ProcessRoles.Dcp)]
    [InlineData("Aspire.Dashboar", new[] { "/root/.nuget/packages/aspire.dashboard.sdk.linux-x64/13.6.5/tools/Aspire.Dashboard" }, ProcessRoles.Dashboard)]
    [InlineData("dotnet", new[] { "dotnet", "run", "--no-build", "--project", "/work/x/Shop.UserApi/Shop.UserApi.csproj" }, ProcessRoles.DotnetRunWrapper)]
    [InlineData("sh", new[] { "/bin/sh", "-c", "true" }, "other (sh)")]
    public void Processes_are_named_by_their_role(string comm, string[] argv, string role)
    {
        Assert.Equal(role, ProcessRoles.Classify(comm, argv, isAppHost: false, isGenerator: false));
    }

    [Fact]
    public void The_AppHost_and_the_generator_are_named_apart_or_together()
    {
        string[] argv = ["/work/x/Shop.Benchmarks"];
        Assert.Equal(ProcessRoles.GeneratorWithAppHost, ProcessRoles.Classify("Shop.Benchmarks", argv, isAppHost: true, isGenerator: true));
        Assert.Equal(ProcessRoles.AppHost, ProcessRoles.Classify("Shop.AppHost", ["/work/x/Shop.AppHost"], isAppHost: true, isGenerator: false));
        Assert.Equal(ProcessRoles.Generator, ProcessRoles.Classify("Shop.Benchmarks", argv, isAppHost: false, isGenerator: true));
    }

    [Fact]
    public void A_window_counts_increases_new_processes_and_reaped_ones_once_and_moves_the_broker_threads()
    {
        // 100 ticks = 1 s of CPU. Window of 2 s, 10 operations.
        var start = Snapshot(0,
        [
            new ProcessCpu(10, 1, 1, ProcessRoles.GeneratorWithAppHost, 1_000),
            new ProcessCpu(20, 5, 1, ShopResources.OrderApi, 500),
            new ProcessCpu(21, 5, 1, ShopResources.OrderApi, 400),
            new ProcessCpu(30, 7, 1, ProcessRoles.PostgreSql, 2_000), // postmaster
            new ProcessCpu(31, 9, 30, ProcessRoles.PostgreSql, 300),  // a backend that ends in the window
        ],
        [new ThreadCpu(11, 2, 100)]);
        var end = Snapshot(2,
        [
            new ProcessCpu(10, 1, 1, ProcessRoles.GeneratorWithAppHost, 1_060),
            new ProcessCpu(20, 5, 1, ShopResources.OrderApi, 550),
            new ProcessCpu(21, 5, 1, ShopResources.OrderApi, 430),
            new ProcessCpu(30, 7, 1, ProcessRoles.PostgreSql, 2_000 + 320), // reaped the backend: its 320 ticks are in cutime now
            new ProcessCpu(32, 99, 30, ProcessRoles.PostgreSql, 15),       // a backend born in the window
            new ProcessCpu(20, 77, 1, ShopResources.Notifier, 5),          // pid 20 reused? no: a new start time is a new process
        ],
        [new ThreadCpu(11, 2, 120), new ThreadCpu(12, 50, 10)]);

        var cpu = CpuBreakdown.Between(start, end, 10, "order");

        double Ms(string role) => cpu.Roles.Single(r => r.Role == role).CpuMs;
        Assert.Equal(2, cpu.Seconds, 6);
        Assert.Equal((50 + 30) * 10, Ms(ShopResources.OrderApi), 6);
        Assert.Equal((320 - 300 + 15) * 10, Ms(ProcessRoles.PostgreSql), 6); // the backend's 20 ticks in the window, the new one's 15
        Assert.Equal((20 + 10) * 10, Ms(ProcessRoles.KafkaBroker), 6);
        Assert.Equal((60 - 30) * 10, Ms(ProcessRoles.GeneratorWithAppHost), 6);
        Assert.Equal(50, Ms(ShopResources.Notifier), 6);
        Assert.Equal(2, cpu.Roles.Single(r => r.Role == ShopResources.OrderApi).Processes);
        Assert.Equal(cpu.TotalCpuMs / 10, cpu.TotalMsPerOperation, 6);
        Assert.Equal((cpu.TotalCpuMs - 300) / 10, cpu.SystemMsPerOperation, 6);
        Assert.Equal(cpu.TotalCpuMs / 1000 / 2, cpu.TotalCores, 6);
        Assert.Equal(80, cpu.Roles.Single(r => r.Role == ShopResources.OrderApi).MsPerOperation, 6);
    }

    [Fact]
    public void A_window_without_operations_gives_cores_only()
    {
        var start = Snapshot(0, [new ProcessCpu(20, 5, 1, ShopResources.OrderApi, 500)], []);
        var end = Snapshot(10, [new ProcessCpu(20, 5, 1, ShopResources.OrderApi, 505)], []);

        var cpu = CpuBreakdown.Between(start, end, 0, "second");

        Assert.Equal(0.005, cpu.TotalCores, 6);
        Assert.True(double.IsNaN(cpu.TotalMsPerOperation));
    }

    private static CpuSnapshot Snapshot(double seconds, IReadOnlyList<ProcessCpu> processes, IReadOnlyList<ThreadCpu> threads) =>
        new(TimeSpan.FromSeconds(seconds), ProcessRoles.GeneratorWithAppHost, processes, threads, new Dictionary<string, RoleMemory>());
}
