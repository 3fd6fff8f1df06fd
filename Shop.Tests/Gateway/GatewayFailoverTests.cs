using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

[Collection(ShopCollection.Name)]
public sealed class GatewayFailoverTests(ShopAppFixture fixture) : SystemDisruptingTests(fixture)
{
    [Fact]
    public async Task Stopping_one_product_api_replica_under_traffic_settles_to_no_failures_and_it_serves_again_after_restart()
    {
        var stopped = (await ReplicaIdsAsync(ShopResources.ProductApi)).First();

        using var gateway = Fixture.CreateHttpClient(ShopResources.Gateway);
        await using var traffic = new SteadyTraffic(Fixture, gateway);

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(traffic.TakeFailures());

        using var direct = Fixture.CreateHttpClient(ShopResources.ProductApi);
        var commands = Fixture.App.Services.GetRequiredService<ResourceCommandService>();
        // The replica drains in-flight requests before exiting, which can outlast the command's own wait (it then
        // reports a failure although the replica stops): what counts is that it no longer serves.
        await commands.ExecuteCommandAsync(stopped, "resource-stop");
        try
        {
            await Eventually.ReturnsAsync(() => ServingInstancesAsync(direct), count => count == 1, TimeSpan.FromSeconds(90),
                "only one product-api replica still serves");
            await Task.Delay(TimeSpan.FromSeconds(5)); // settling
            traffic.TakeFailures();
            var before = traffic.Succeeded;
            await Task.Delay(TimeSpan.FromSeconds(8));
            var failuresWhileDown = traffic.TakeFailures();
            Assert.True(failuresWhileDown.Count == 0, $"failures with one replica down: {string.Join(", ", failuresWhileDown)}");
            Assert.True(traffic.Succeeded - before > 20, "traffic kept flowing while one replica was down");
        }
        finally
        {
            await Eventually.ReturnsAsync(async () => (await commands.ExecuteCommandAsync(stopped, "resource-start")).Success,
                started => started, TimeSpan.FromSeconds(90), "the stopped replica can be started again");
        }

        // Both replicas answer again (each /health names its instance), and traffic through the gateway stays clean.
        await Eventually.ReturnsAsync(() => ServingInstancesAsync(direct), count => count == 2, TimeSpan.FromSeconds(90),
            "the restarted replica serves again");
        await Fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(ShopResources.ProductApi).WaitAsync(TimeSpan.FromMinutes(1));

        await Task.Delay(TimeSpan.FromSeconds(5));
        traffic.TakeFailures();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var failuresAfter = traffic.TakeFailures();
        Assert.True(failuresAfter.Count == 0, $"failures after the restart: {string.Join(", ", failuresAfter)}");
    }

    /// <summary>Distinct replicas answering /health with 200 over a few new connections (Aspire's proxy balances per connection).</summary>
    private static async Task<int> ServingInstancesAsync(HttpClient direct)
    {
        var instances = new HashSet<string>();
        for (var i = 0; i < 8; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { ConnectionClose = true } };
            try
            {
                using var response = await direct.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK) continue;
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                instances.Add(body.RootElement.GetProperty("instance").GetString()!);
            }
            catch (HttpRequestException)
            {
            }
        }
        return instances.Count;
    }

    private async Task<List<string>> ReplicaIdsAsync(string resource)
    {
        var ids = (await ResourceInstances.UrlsAsync(Fixture.App, resource)).Select(instance => instance.Instance).ToList();
        Assert.Equal(2, ids.Count);
        return ids;
    }

    /// <summary>
    /// About 20 catalog reads per second through the gateway. Authenticated (so the edge cache does not answer them)
    /// as a rotating set of users, each staying below the per-user rate limit.
    /// </summary>
    private sealed class SteadyTraffic : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<string> _failures = new();
        private readonly Task _loop;
        private int _succeeded;

        public SteadyTraffic(ShopAppFixture fixture, HttpClient client) => _loop = RunAsync(fixture, client);

        public int Succeeded => Volatile.Read(ref _succeeded);

        public List<string> TakeFailures()
        {
            var list = new List<string>();
            while (_failures.TryDequeue(out var failure)) list.Add(failure);
            return list;
        }

        private async Task RunAsync(ShopAppFixture fixture, HttpClient client)
        {
            var token = "";
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                if (i % 60 == 0) token = await GatewayTokens.CreateAsync(fixture);
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/categories").WithBearer(token));
                    if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                        _failures.Enqueue(((int)response.StatusCode).ToString());
                    else
                        Interlocked.Increment(ref _succeeded);
                }
                catch (HttpRequestException ex)
                {
                    _failures.Enqueue(ex.Message);
                }
                var wait = TimeSpan.FromMilliseconds(50) - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }
    }
}
