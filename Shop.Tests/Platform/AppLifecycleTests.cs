using Shop.Tests.Infrastructure;

namespace Shop.Tests.Platform;

/// <summary>Starts its own app (not the shared one) to prove that stopping it leaves nothing running.</summary>
public sealed class AppLifecycleTests
{
    [Fact]
    public async Task Disposing_the_app_leaves_no_process_behind()
    {
        var dataDirectory = Path.Combine("/tmp/shop-tests", Guid.NewGuid().ToString("N"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var before = ProcessTable.AllPids().ToHashSet();

        var app = await ShopAppFixture.StartAsync(dataDirectory, cts.Token);
        HashSet<int> started;
        try
        {
            var resourcePids = await ResourcePidsAsync(app, cts.Token);
            started = ProcessTable.WithDescendants(resourcePids.Append(Environment.ProcessId));
            started.Remove(Environment.ProcessId);
            started.ExceptWith(before);

            Assert.Contains(started, pid => ProcessTable.CommandLine(pid).Contains(dataDirectory));
            Assert.Contains(started, pid => ProcessTable.CommandLine(pid).Contains("redis-server"));
            Assert.Contains(started, pid => ProcessTable.CommandLine(pid).Contains("Shop.Gateway"));
        }
        finally
        {
            await app.StopAsync(cts.Token);
            await app.DisposeAsync();
        }

        var left = await Eventually.ReturnsAsync(
            () => Task.FromResult(started.Where(ProcessTable.IsAlive).Select(pid => $"{pid}: {ProcessTable.CommandLine(pid)}").ToList()),
            alive => alive.Count == 0, TimeSpan.FromSeconds(60), "every process the app started has exited");
        Assert.Empty(left);
        Assert.DoesNotContain(ProcessTable.AllPids(), pid => ProcessTable.CommandLine(pid).Contains(dataDirectory));
        Directory.Delete(dataDirectory, recursive: true);
    }

    private static async Task<List<int>> ResourcePidsAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var pids = new List<int>();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            // The watch replays the current state of every resource first.
            await foreach (var update in app.ResourceNotifications.WatchAsync(window.Token))
            {
                var pid = update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
                if (pid is not null && int.TryParse(pid.ToString(), out var value)) pids.Add(value);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        return pids;
    }
}
