using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

[Collection(ShopCollection.Name)]
public sealed class GatewayFailoverTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task Stopping_one_product_api_replica_under_traffic_settles_to_no_failures_and_it_serves_again_after_restart()
    {
        var stopped = (await ReplicaIdsAsync("product-api")).First();

        using var gateway = fixture.CreateHttpClient("gateway");
        await using var traffic = new SteadyTraffic(fixture, gateway);

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(traffic.TakeFailures());

        // A replica under traffic drains in-flight requests before exiting, which can outlast the command's own wait.
        await fixture.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(stopped, "resource-stop");
        try
        {
            await WaitForReplicaStateAsync(stopped, KnownResourceStates.TerminalStates, TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(8)); // settling: a stopped replica leaves the rotation
            traffic.TakeFailures();
            var before = traffic.Succeeded;
            await Task.Delay(TimeSpan.FromSeconds(8));
            var failuresWhileDown = traffic.TakeFailures();
            Assert.True(failuresWhileDown.Count == 0, $"failures with one replica down: {string.Join(", ", failuresWhileDown)}");
            Assert.True(traffic.Succeeded - before > 20, "traffic kept flowing while one replica was down");
        }
        finally
        {
            await fixture.ExecuteCommandAsync(stopped, "resource-start");
        }

        // Both replicas answer again (each /health names its instance), and traffic through the gateway stays clean.
        using var direct = fixture.CreateHttpClient("product-api");
        var instances = new HashSet<string>();
        await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { ConnectionClose = true } };
            using var response = await direct.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                instances.Add(body.RootElement.GetProperty("instance").GetString()!);
            }
            return instances.Count;
        }, count => count == 2, TimeSpan.FromSeconds(90), "the restarted replica serves again");
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("product-api").WaitAsync(TimeSpan.FromMinutes(1));

        await Task.Delay(TimeSpan.FromSeconds(5));
        traffic.TakeFailures();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var failuresAfter = traffic.TakeFailures();
        Assert.True(failuresAfter.Count == 0, $"failures after the restart: {string.Join(", ", failuresAfter)}");
    }

    private async Task WaitForReplicaStateAsync(string replicaId, IEnumerable<string> states, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await foreach (var change in fixture.App.ResourceNotifications.WatchAsync(cts.Token))
        {
            if (change.ResourceId == replicaId && states.Contains(change.Snapshot.State?.Text)) return;
        }
    }

    private async Task<List<string>> ReplicaIdsAsync(string resource)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ids = new HashSet<string>();
        await foreach (var change in fixture.App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (change.Resource.Name == resource && ids.Add(change.ResourceId) && ids.Count == 2) break;
        }
        Assert.Equal(2, ids.Count);
        return ids.Order().ToList();
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
