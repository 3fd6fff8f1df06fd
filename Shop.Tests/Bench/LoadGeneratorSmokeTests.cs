using System.Text.Json;
using Shop.Benchmarks.Mix;
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
        var reportDirectory = Directory.CreateTempSubdirectory("shop-bench-smoke").FullName;
        try
        {
            var output = new StringWriter();
            var exitCode = await MixCommand.RunAsync(
                ["--target", fixture.App.GetEndpoint("gateway", "http").ToString(), "--duration", "4", "--warmup", "0", "--rate", "20",
                 "--users", "2", "--mix", EveryOperationOnce, "--report", reportDirectory],
                output, CancellationToken.None);

            Assert.True(exitCode == 0, output.ToString());
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reportDirectory, "report.json")));
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
            var html = await File.ReadAllTextAsync(Path.Combine(reportDirectory, "report.html"));
            Assert.Contains("<svg", html);
            Assert.Contains("Per endpoint", html);
        }
        finally
        {
            Directory.Delete(reportDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_gate_that_cannot_be_met_exits_non_zero()
    {
        var reportDirectory = Directory.CreateTempSubdirectory("shop-bench-gate").FullName;
        try
        {
            var output = new StringWriter();
            var exitCode = await MixCommand.RunAsync(
                ["--target", fixture.App.GetEndpoint("gateway", "http").ToString(), "--duration", "2", "--warmup", "0", "--rate", "5",
                 "--users", "1", "--mix", "categories=1", "--max-p99-ms", "0.001", "--report", reportDirectory],
                output, CancellationToken.None);

            Assert.Equal(1, exitCode);
            Assert.Contains("GATE FAILED", output.ToString());
        }
        finally
        {
            Directory.Delete(reportDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Bad_options_are_refused_with_the_usage()
    {
        var output = new StringWriter();

        var exitCode = await MixCommand.RunAsync(["--rate", "-5"], output, CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Contains("--max-p99-ms", output.ToString());
    }
}
