using System.Text.Json;
using Shop.Benchmarks.Infrastructure;
using Shop.Benchmarks.Mix;
using Shop.Benchmarks.Perf;
using Shop.Benchmarks.Processes;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Bench;

/// <summary>A few seconds of the shopping mix at a low rate through the real gateway: behaviour, not speed.</summary>
[Collection(ShopCollection.Name)]
public sealed class LoadGeneratorSmokeTests(ShopAppFixture fixture)
{
    private const string EveryOperationOnce = "browse=1,view=1,search=1,categories=1,order=1,pay=1,orders=1,notifications=1";

    [Fact]
    public async Task A_short_run_hits_every_endpoint_and_writes_a_report_that_parses()
    {
        using var reports = new ReportDirectory();

        var (exitCode, output) = await RunAsync(MixCommand.RunAsync,
            [.. ThisSystem, "--duration", "4", "--warmup", "0", "--rate", "20", "--users", "2", "--mix", EveryOperationOnce, "--report", reports.Folder]);

        Assert.True(exitCode == 0, output);
        using var report = await reports.ReadJsonAsync("report.json");
        var endpoints = report.RootElement.GetProperty("endpoints").EnumerateArray()
            .ToDictionary(e => e.GetProperty("operation").GetString()!, e => e.GetProperty("requests").GetInt32());
        foreach (var operation in MixOptions.DefaultWeights.Keys)
        {
            Assert.True(endpoints.GetValueOrDefault(operation) > 0, $"'{operation}' was not hit: {output}");
        }
        Assert.Equal(80, report.RootElement.GetProperty("total").GetProperty("requests").GetInt32());
        // The generator's own requests must be valid: a 400 would mean it speaks the API wrongly.
        foreach (var endpoint in report.RootElement.GetProperty("endpoints").EnumerateArray())
        {
            Assert.False(endpoint.GetProperty("errorsByStatus").TryGetProperty("400", out _),
                $"'{endpoint.GetProperty("operation").GetString()}' sent bad requests: {output}");
        }
        Assert.True(report.RootElement.GetProperty("ordersPerSecond").GetDouble() > 0, $"no order was created: {output}");
        Assert.True(report.RootElement.GetProperty("processes").GetArrayLength() > 0);
        // Every service maps the same framework files: counted once (PSS), the total is below the sum of RSS.
        var rss = report.RootElement.GetProperty("servicesTotalRssMiB").GetDouble();
        var pss = report.RootElement.GetProperty("servicesTotalPssMiB").GetDouble();
        Assert.True(pss > 0 && pss < rss, $"PSS {pss} MiB, RSS {rss} MiB");
        // The disk probe flushed a write every 50 ms or so of the 4 s run (fewer if the disk stalled), and the summary says what it found.
        var disk = report.RootElement.GetProperty("diskFlushes");
        Assert.True(disk.GetProperty("count").GetInt32() >= 5, $"disk probe: {disk}");
        Assert.True(disk.GetProperty("maxMs").GetDouble() >= disk.GetProperty("p50Ms").GetDouble() && disk.GetProperty("p50Ms").GetDouble() > 0, $"disk probe: {disk}");
        Assert.Contains("durable 8 KiB writes", output);
        var html = await reports.ReadAsync("report.html");
        Assert.Contains("<svg", html);
        Assert.Contains("Per endpoint", html);
    }

    [Fact]
    public async Task The_storefront_variant_renders_every_page_and_reports_each_page_s_figures()
    {
        using var reports = new ReportDirectory();

        var (exitCode, output) = await RunAsync(MixCommand.RunAsync,
            [.. ThisSystem, "--storefront", "--storefront-target", fixture.App.GetEndpoint(ShopResources.WebApp, "http").ToString(),
             "--mix", "page-catalog=1,page-product=1,page-search=1,page-cart=1",
             "--duration", "2", "--warmup", "0", "--rate", "10", "--users", "1", "--report", reports.Folder]);

        Assert.True(exitCode == 0, output);
        using var report = await reports.ReadJsonAsync("report.json");
        var endpoints = report.RootElement.GetProperty("endpoints").EnumerateArray()
            .ToDictionary(e => e.GetProperty("operation").GetString()!, e => (Requests: e.GetProperty("requests").GetInt32(), Errors: e.GetProperty("errors").GetInt32()));
        Assert.Equal(["page-cart", "page-catalog", "page-product", "page-search"], endpoints.Keys.Order());
        foreach (var (page, figures) in endpoints)
        {
            Assert.True(figures.Requests > 0 && figures.Errors == 0, $"'{page}': {figures}: {output}");
        }
        Assert.Equal(20, report.RootElement.GetProperty("total").GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task A_gate_that_cannot_be_met_exits_non_zero()
    {
        using var reports = new ReportDirectory();

        var (exitCode, output) = await RunAsync(MixCommand.RunAsync,
            ["--target", fixture.App.GetEndpoint(ShopResources.Gateway, "http").ToString(), "--duration", "2", "--warmup", "0", "--rate", "5",
             "--users", "1", "--mix", "categories=1", "--max-p99-ms", "0.001", "--report", reports.Folder]);

        Assert.Equal(1, exitCode);
        Assert.Contains("GATE FAILED", output);
    }

    [Fact]
    public async Task Bad_options_are_refused_with_the_usage()
    {
        var (exitCode, output) = await RunAsync(MixCommand.RunAsync, ["--rate", "-5"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--max-p99-ms", output);
    }

    [Fact]
    public async Task A_short_perf_run_prints_its_rows_with_the_CPU_of_this_systems_processes()
    {
        using var reports = new ReportDirectory();

        var (exitCode, output) = await RunAsync(PerfCommand.RunAsync,
            [.. ThisSystem, "--rows", "idle,sequential,cpu", "--warmup", "0", "--idle", "1", "--sequential", "3", "--closed-loop", "2", "--workers", "2",
             "--report", reports.Folder]);

        Assert.True(exitCode is 0 or 1, output);
        using var report = await reports.ReadJsonAsync("perf.json");
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(4, rows.Count); // the CPU row is followed by the same orders in two requests
        var sequentialRow = rows.Single(r => r.GetProperty("figure").GetString()!.StartsWith("idle order create", StringComparison.Ordinal));
        // Three orders may all fall within one stalled flush, so the count may be 0; the probe must have run, though.
        var sequentialDisk = sequentialRow.GetProperty("diskFlushes");
        Assert.True(sequentialDisk.ValueKind == JsonValueKind.Object && sequentialDisk.GetProperty("failure").ValueKind == JsonValueKind.Null,
            $"the sequential row's disk probe: {output}");
        var cpuRow = rows.Single(r => r.GetProperty("figure").GetString()!.StartsWith("CPU per order", StringComparison.Ordinal));
        var cpu = cpuRow.GetProperty("cpu");
        Assert.True(cpu.GetProperty("operations").GetInt32() > 0, output);
        var roles = cpu.GetProperty("roles").EnumerateArray().ToDictionary(r => r.GetProperty("role").GetString()!, r => r);
        // Every order touches these: each must be found and have used CPU in the window.
        foreach (var role in new[] { ShopResources.Gateway, ShopResources.OrderApi, ShopResources.ProductApi, ProcessRoles.PostgreSql })
        {
            Assert.True(roles.TryGetValue(role, out var figures) && figures.GetProperty("cpuMs").GetDouble() > 0, $"{role}: {output}");
        }
        // An order never calls user-api (the account check is the shared token check): it is found, but may have
        // had no 10 ms tick of CPU in a 2 s window.
        Assert.True(roles.ContainsKey(ShopResources.UserApi), output);
        Assert.Equal(2, roles[ShopResources.OrderApi].GetProperty("processes").GetInt32());
        Assert.True(roles.ContainsKey(ProcessRoles.Dcp), output);
        var twoRequests = rows.Single(r => r.GetProperty("figure").GetString()!.Contains("in two requests", StringComparison.Ordinal));
        Assert.True(twoRequests.GetProperty("cpu").GetProperty("operations").GetInt32() > 0, output);
        Assert.Contains("Performance table", output);
        Assert.Contains("idle order create through the gateway", output);
    }

    [Fact]
    public async Task A_session_whose_token_was_refused_renews_it_and_goes_on()
    {
        var logins = new LoginCounter { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(logins) { BaseAddress = fixture.App.GetEndpoint(ShopResources.Gateway, "http") };
        var email = $"session-{Guid.NewGuid():N}@bench.shop.local";
        var session = await ShopAccounts.RegisterSessionAsync(http, email, "Session-pw-12345", "Session Shopper", CancellationToken.None);
        await session.AccessTokenAsync(http, CancellationToken.None);
        Assert.Equal(1, logins.Count); // a fresh token is used as it is

        session.Expire();
        var renewed = await session.AccessTokenAsync(http, CancellationToken.None);

        // Today's login answer has no refresh token: the session logs in again (with one, it would call /refresh).
        Assert.Equal(2, logins.Count);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders?page=1");
        request.Headers.Authorization = new("Bearer", renewed);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// This collection's system as a bench command's target: its AppHost runs in this test process, so the system is
    /// found from it (as from a Shop.AppHost) and its services are measured, no other system's.
    /// </summary>
    private string[] ThisSystem => ["--target", fixture.App.GetEndpoint(ShopResources.Gateway, "http").ToString(), "--apphost-pid", Environment.ProcessId.ToString()];

    private static async Task<(int ExitCode, string Output)> RunAsync(Func<string[], TextWriter, CancellationToken, Task<int>> command, string[] args)
    {
        var output = new StringWriter();
        var exitCode = await command(args, output, CancellationToken.None);
        return (exitCode, output.ToString());
    }

    /// <summary>A folder of the test's own for a run's report, deleted with what is in it.</summary>
    private sealed class ReportDirectory : IDisposable
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("shop-bench-").FullName;

        public Task<string> ReadAsync(string file) => File.ReadAllTextAsync(Path.Combine(Folder, file));

        public async Task<JsonDocument> ReadJsonAsync(string file) => JsonDocument.Parse(await ReadAsync(file));

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    private sealed class LoginCounter : DelegatingHandler
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.AbsolutePath is "/api/users/login" or "/api/users/refresh") Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
