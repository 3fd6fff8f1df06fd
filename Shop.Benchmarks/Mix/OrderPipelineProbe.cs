using System.Collections.Concurrent;
using System.Diagnostics;

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
            var round = new List<(VirtualUser User, string OrderId, long CreatedTimestamp)>();
            for (var count = _pending.Count; round.Count < count && _pending.TryDequeue(out var item);) round.Add(item);
            // One notifications read per shopper and round, however many of their orders are pending.
            foreach (var shopper in round.GroupBy(item => item.User))
            {
                var notifications = await ReadNotificationsAsync(shopper.Key);
                foreach (var item in shopper)
                {
                    if (notifications?.Contains(item.OrderId, StringComparison.OrdinalIgnoreCase) == true)
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
            }
            await Task.Delay(20, CancellationToken.None);
        }
        _lost += _pending.Count;
    }

    /// <returns>The shopper's notifications as JSON text, or null when they could not be read this round.</returns>
    private async Task<string?> ReadNotificationsAsync(VirtualUser user)
    {
        try
        {
            using var request = await MixOperations.AuthorizedAsync(HttpMethod.Get, "/api/notifications", user, http, CancellationToken.None);
            using var response = await MixOperations.SendAsync(http, request, user, CancellationToken.None);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
