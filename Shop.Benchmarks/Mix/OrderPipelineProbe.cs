using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Benchmarks.Mix;

/// <summary>
/// Measures the order pipeline end to end (order created → outbox → Kafka → notifier → notification stored) for a
/// sample of the orders the mix creates: it polls the shopper's notifications until the order shows up.
/// </summary>
public sealed class OrderPipelineProbe(HttpClient http, int sampleEvery = 5)
{
    private readonly ConcurrentQueue<(VirtualUser User, string OrderId, long CreatedTimestamp)> _pending = new();
    private readonly ConcurrentBag<double> _latenciesMs = [];
    private int _created;
    private int _lost;

    public void OrderCreated(VirtualUser user, string orderId)
    {
        if (Interlocked.Increment(ref _created) % sampleEvery == 0)
        {
            _pending.Enqueue((user, orderId, Stopwatch.GetTimestamp()));
        }
    }

    public IReadOnlyList<double> LatenciesMs => [.. _latenciesMs.Order()];

    public int Lost => _lost;

    public async Task RunAsync(CancellationToken stop, TimeSpan drainTimeout)
    {
        var drainDeadline = (DateTime?)null;
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                drainDeadline ??= DateTime.UtcNow + drainTimeout;
                if (_pending.IsEmpty || DateTime.UtcNow > drainDeadline) break;
            }
            var round = _pending.Count;
            for (var i = 0; i < round && _pending.TryDequeue(out var item); i++)
            {
                if (await HasNotificationAsync(item.User, item.OrderId))
                {
                    _latenciesMs.Add(Stopwatch.GetElapsedTime(item.CreatedTimestamp).TotalMilliseconds);
                }
                else if (Stopwatch.GetElapsedTime(item.CreatedTimestamp) > TimeSpan.FromSeconds(60))
                {
                    Interlocked.Increment(ref _lost);
                }
                else
                {
                    _pending.Enqueue(item);
                }
            }
            await Task.Delay(20, CancellationToken.None);
        }
        _lost += _pending.Count;
    }

    private async Task<bool> HasNotificationAsync(VirtualUser user, string orderId)
    {
        try
        {
            using var request = MixOperations.Authorized(HttpMethod.Get, "/api/notifications", user);
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains(orderId, StringComparison.OrdinalIgnoreCase);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
