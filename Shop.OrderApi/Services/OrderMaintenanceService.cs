using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Configuration;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Refusals;

namespace Shop.OrderApi.Services;

/// <summary>Section "Orders:Expiry" (live-reloaded).</summary>
public sealed class OrderExpiryOptions
{
    public const string SectionName = "Orders:Expiry";

    /// <summary>A Pending order not paid within this time is cancelled and its stock released.</summary>
    public TimeSpan PaymentTimeout { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Cancels unpaid Pending orders past their payment timeout, retries stock releases that failed earlier (of
/// cancelled orders, and of orders never stored: <see cref="StockReleaseRetry"/>), and deletes the outbox rows published
/// more than <see cref="OutboxRelayOptions.SentRetention"/> ago. Safe on both replicas: each cancellation is an
/// optimistic-concurrency transition, a release is idempotent per order id, and a row is deleted once.
/// </summary>
public sealed class OrderMaintenanceService(IServiceScopeFactory scopes, IOptionsMonitor<OrderExpiryOptions> options,
    IOptionsMonitor<OutboxRelayOptions> outboxOptions, TimeProvider time, ILogger<OrderMaintenanceService> logger) : BackgroundService
{
    public const string ExpiredReason = "Not paid in time.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Order maintenance failed; retrying at the next interval");
            }
            // Apart from the orders' work: a failure there must not stop the outbox's cleanup, nor this one it.
            try
            {
                await PurgeSentOutboxAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox purge failed; retrying at the next interval");
            }
            await options.DelayUnlessReloadedAsync(o => o.CheckInterval, time, stoppingToken);
        }
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        List<Guid> expired, unreleased, unstored;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            var cutoff = time.GetUtcNow() - settings.PaymentTimeout;
            expired = await db.Orders.Where(o => o.Status == OrderStatus.Pending && o.CreatedAt < cutoff)
                .OrderBy(o => o.CreatedAt).Select(o => o.Id).Take(settings.BatchSize).ToListAsync(cancellationToken);
            unreleased = await db.Orders.Where(o => o.Status == OrderStatus.Cancelled && o.StockReleasedAt == null)
                .Select(o => o.Id).Take(settings.BatchSize).ToListAsync(cancellationToken);
            unstored = await db.StockReleaseRetries.OrderBy(r => r.FailedAt).Select(r => r.OrderId)
                .Take(settings.BatchSize).ToListAsync(cancellationToken);
        }

        foreach (var id in expired)
        {
            await WithOrderAsync(id, async (sp, order) =>
            {
                if (order.Status != OrderStatus.Pending) return;
                await sp.GetRequiredService<OrderService>().CancelAsync(order, ExpiredReason, cancellationToken);
                logger.LogInformation("Order {OrderId} cancelled: not paid within {Timeout}", id, settings.PaymentTimeout);
            });
        }
        foreach (var id in unreleased)
        {
            await WithOrderAsync(id, (sp, order) => sp.GetRequiredService<StockReleaser>().TryReleaseAsync(order, cancellationToken));
        }
        foreach (var id in unstored)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<StockReleaser>().TryReleaseUnstoredAsync(id, cancellationToken);
        }
    }

    /// <summary>Statements per pass: 50 of 1,000 rows every 10 s keeps up with 5,000 events a second, and a backlog
    /// (the first run after an upgrade) is worked off over several passes instead of holding up the order expiry.</summary>
    private const int MaxPurgeStatementsPerPass = 50;

    private async Task PurgeSentOutboxAsync(CancellationToken cancellationToken)
    {
        var outbox = outboxOptions.CurrentValue;
        // A cutoff in the future would chase the relay's fresh rows; a day is the documented default.
        var sentBefore = time.GetUtcNow() - (outbox.SentRetention > TimeSpan.Zero ? outbox.SentRetention : TimeSpan.Zero);
        var window = Math.Max(1, outbox.PurgeBatchSize);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        int deleted, total = 0, statements = 0;
        do
        {
            deleted = await db.DeleteSentBeforeAsync(sentBefore, window, cancellationToken);
            total += deleted;
        }
        while (deleted > 0 && ++statements < MaxPurgeStatementsPerPass && !cancellationToken.IsCancellationRequested);
        if (total > 0) logger.LogDebug("Deleted {Count} outbox rows published before {SentBefore}", total, sentBefore);
    }

    private async Task WithOrderAsync(Guid id, Func<IServiceProvider, Order, Task> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        if (await db.Orders.SingleOrDefaultAsync(o => o.Id == id) is not { } order) return;
        try
        {
            await action(scope.ServiceProvider, order);
        }
        catch (ShopRefusal)
        {
            // Lost a race with a payment or a user's cancel: nothing to do.
        }
    }
}
