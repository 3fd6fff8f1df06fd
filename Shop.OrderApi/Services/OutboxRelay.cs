using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.ServiceDefaults.Kafka;

namespace Shop.OrderApi.Services;

/// <summary>
/// Publishes outbox rows to Kafka, oldest first, and marks them sent only after the broker acknowledged them
/// (at least once: a crash between ack and commit republishes; consumers dedupe by event id). A transaction-scoped
/// advisory lock lets one replica relay at a time, which also keeps each order's events in order. It relays as soon
/// as this process has saved order events (<see cref="OutboxSignal"/>) and otherwise polls every IdleDelay.
/// </summary>
public sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    IProducer<string, string> producer,
    OutboxSignal signal,
    IOptionsMonitor<OutboxRelayOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    public const string EventTypeHeader = "event-type";
    public const string EventIdHeader = "event-id";
    private const long RelayLockKey = 0x0_5107_0BB0;

    private readonly record struct RelayOutcome(int Published, bool Failed, bool Contended);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            var backoff = TimeSpan.Zero;
            var idle = TimeSpan.Zero;
            try
            {
                var outcome = await RelayBatchAsync(settings, stoppingToken);
                failures = outcome.Failed ? failures + 1 : 0;
                if (outcome.Failed) backoff = Backoff.For(failures, settings.MinBackoff, settings.MaxBackoff);
                else if (outcome.Contended) idle = settings.ContendedDelay;
                else if (outcome.Published == 0) idle = settings.IdleDelay;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                backoff = Backoff.For(failures, settings.MinBackoff, settings.MaxBackoff);
                logger.LogWarning(ex, "Outbox relay failed; retrying in {Delay}", backoff);
            }
            if (backoff > TimeSpan.Zero)
            {
                // Not cut short by new events: while Kafka is down, each save would otherwise retry at once.
                await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
            else if (idle > TimeSpan.Zero)
            {
                await signal.WaitAsync(idle, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    private async Task<RelayOutcome> RelayBatchAsync(OutboxRelayOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        // Aspire's retrying execution strategy runs explicit transactions as one retriable unit.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            ct => RelayBatchInTransactionAsync(db, settings, ct), cancellationToken);
    }

    private async Task<RelayOutcome> RelayBatchInTransactionAsync(OrdersDbContext db, OutboxRelayOptions settings,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = (await db.Database.QueryStatementAsync($"SELECT pg_try_advisory_xact_lock({RelayLockKey})",
            row => row.GetBoolean(0), cancellationToken)).Single();
        if (!locked)
        {
            return new RelayOutcome(0, Failed: false, Contended: true); // the other replica is relaying
        }

        var batch = await db.OutboxMessages.AsNoTracking().Where(m => m.SentAt == null).OrderBy(m => m.Id)
            .Take(settings.BatchSize).ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return new RelayOutcome(0, Failed: false, Contended: false);
        }

        // Produced together (librdkafka batches them); the idempotent producer keeps per-partition order.
        var deliveries = batch.Select(message => PublishAsync(message, settings.Topic)).ToArray();
        var outcomes = await Task.WhenAll(deliveries);
        var sent = batch.Where((_, i) => outcomes[i]).Select(m => m.Id).ToList();
        var now = time.GetUtcNow();
        if (sent.Count > 0)
        {
            await db.OutboxMessages.Where(m => sent.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now).SetProperty(m => m.Attempts, m => m.Attempts + 1), CancellationToken.None);
        }
        await transaction.CommitAsync(CancellationToken.None);
        return new RelayOutcome(sent.Count, Failed: sent.Count < batch.Count, Contended: false);
    }

    private async Task<bool> PublishAsync(OutboxMessage message, string topic)
    {
        var parent = ActivityContext.TryParse(message.TraceParent, null, out var context) ? context : default;
        using var activity = OrderTelemetry.Source.StartActivity("PublishEvent", ActivityKind.Internal, parent);
        activity?.SetTag("shop.event.type", message.EventType);
        activity?.SetTag("shop.event.id", message.EventId);
        activity?.SetTag("shop.order.id", message.OrderId);

        var headers = new Headers
        {
            { EventTypeHeader, Encoding.UTF8.GetBytes(message.EventType) },
            { EventIdHeader, Encoding.UTF8.GetBytes(message.EventId.ToString()) },
        };
        using var publish = KafkaTelemetry.StartPublish(topic, headers);
        if (publish is null && activity is null && parent != default)
        {
            KafkaTelemetry.Inject(parent, headers); // no listener: still hand the request's trace on
        }
        try
        {
            // No cancellation: a message handed to librdkafka is either acknowledged or times out (message.timeout.ms).
            await producer.ProduceAsync(topic, new Message<string, string>
            {
                Key = message.OrderId.ToString(),
                Value = message.Payload,
                Headers = headers,
            });
            return true;
        }
        catch (ProduceException<string, string> ex)
        {
            publish?.SetStatus(ActivityStatusCode.Error, ex.Error.Reason);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Error.Reason);
            logger.LogWarning("Publishing {EventType} {EventId} failed: {Reason}", message.EventType, message.EventId, ex.Error.Reason);
            return false;
        }
    }
}
