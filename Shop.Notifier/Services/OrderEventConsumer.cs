using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Shop.Notifier.IntegrationEvents;
using Shop.ServiceDefaults.Kafka;

namespace Shop.Notifier.Services;

/// <summary>
/// Consumes the orders topic in the "notifier" group. Offsets are committed only after a message was handled or
/// dead-lettered, so a crash redelivers (the handler dedupes by event id). A failing message is retried with
/// backoff, then sent to the dead-letter topic with the error in a header; invalid JSON goes there at once.
/// Messages that have already arrived are handled together, one database transaction per batch (see
/// <see cref="ConsumerOptions.MaxBatchSize"/>); a batch that fails is handled one message at a time, so a poison message
/// only ever dead-letters itself. Offsets of handled messages are committed in small batches.
/// On shutdown the message in hand is finished and committed, then the consumer leaves the group.
/// </summary>
public sealed class OrderEventConsumer(
    IConsumer<string, string> consumer,
    IProducer<string, string> producer,
    IServiceScopeFactory scopes,
    IOptionsMonitor<ConsumerOptions> options,
    TimeProvider time,
    ILogger<OrderEventConsumer> logger) : BackgroundService
{
    public const string ErrorHeader = "error";
    private const int CommitEvery = 100;
    private static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstMessageWait = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<TopicPartition, TopicPartitionOffset> _handled = [];
    private int _sinceCommit;
    private long _lastCommit = time.GetTimestamp();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Consume blocks its thread: give the loop one of its own.
        Task.Factory.StartNew(() => RunAsync(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        consumer.Subscribe(options.CurrentValue.Topic);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = ConsumeBatch();
                if (batch.Count == 0)
                {
                    CommitHandled();
                    continue;
                }
                // The batch in hand is finished even when shutdown starts meanwhile.
                var handled = await ProcessBatchAsync(batch);
                foreach (var result in batch.Take(handled))
                {
                    _handled[result.TopicPartition] = new TopicPartitionOffset(result.TopicPartition, result.Offset + 1);
                    _sinceCommit++;
                }
                if (_handled.Count > 0 && (_sinceCommit >= CommitEvery || time.GetElapsedTime(_lastCommit) >= CommitInterval))
                {
                    CommitHandled();
                }
                if (handled < batch.Count && !stoppingToken.IsCancellationRequested)
                {
                    // Not handled: read them again after a pause instead of moving past them.
                    foreach (var first in batch.Skip(handled).GroupBy(r => r.TopicPartition).Select(g => g.MinBy(r => r.Offset.Value)!))
                    {
                        consumer.Seek(first.TopicPartitionOffset);
                    }
                    await Task.Delay(options.CurrentValue.RetryMaxDelay, time, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
                }
            }
        }
        finally
        {
            CloseBounded();
        }
    }

    /// <summary>
    /// Waits up to 250 ms for a message, then takes what else has already arrived, up to
    /// <see cref="ConsumerOptions.MaxBatchSize"/>: at a developer's pace a batch is one message, under load many.
    /// </summary>
    private List<ConsumeResult<string, string>> ConsumeBatch()
    {
        var batch = new List<ConsumeResult<string, string>>();
        var maxBatchSize = Math.Max(1, options.CurrentValue.MaxBatchSize);
        while (batch.Count < maxBatchSize)
        {
            ConsumeResult<string, string>? result;
            try
            {
                result = consumer.Consume(batch.Count == 0 ? FirstMessageWait : TimeSpan.Zero);
            }
            catch (ConsumeException ex)
            {
                logger.LogWarning("Consume failed: {Reason}", ex.Error.Reason);
                break;
            }
            if (result is null || result.IsPartitionEOF) break;
            batch.Add(result);
        }
        return batch;
    }

    /// <returns>How many of the batch's messages, from its start, were handled or dead-lettered.</returns>
    private async Task<int> ProcessBatchAsync(IReadOnlyList<ConsumeResult<string, string>> batch)
    {
        if (batch.Count > 1 && await TryHandleTogetherAsync(batch))
        {
            return batch.Count;
        }
        // One at a time: a poison message is dead-lettered alone, a failing one retried alone.
        for (var i = 0; i < batch.Count; i++)
        {
            if (!await ProcessAsync(batch[i])) return i;
        }
        return batch.Count;
    }

    /// <summary>
    /// Handles a batch in one database transaction. Each message keeps its own process span in its own trace; the
    /// batch's database work appears under the first message's span. False (nothing stored) when any message is
    /// poison or the transaction fails: the caller then goes one by one.
    /// </summary>
    private async Task<bool> TryHandleTogetherAsync(IReadOnlyList<ConsumeResult<string, string>> batch)
    {
        var previous = Activity.Current;
        var activities = new List<Activity?>(batch.Count);
        try
        {
            var events = new List<ReceivedEvent>(batch.Count);
            foreach (var result in batch)
            {
                var activity = KafkaTelemetry.StartProcess(result);
                Activity.Current = previous; // siblings, each in its message's trace, not nested in one another
                activities.Add(activity);
                activity?.SetTag("messaging.batch.message_count", batch.Count);
                var e = OrderEvent.Parse(result.Message.Value);
                activity?.SetTag("shop.event.type", e.EventType);
                activity?.SetTag("shop.event.id", e.EventId);
                events.Add(new ReceivedEvent(e, TraceIdOf(activity, result)));
            }
            Activity.Current = activities[0] ?? previous;
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OrderEventHandler>().HandleBatchAsync(events, CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            foreach (var activity in activities) activity?.SetStatus(ActivityStatusCode.Error, "batch failed; handled one by one");
            // A poison message is expected and dead-lettered on its own; any other failure is worth a developer's look.
            logger.Log(ex is PoisonMessageException ? LogLevel.Debug : LogLevel.Warning, ex,
                "A batch of {Count} messages failed; handling them one by one", batch.Count);
            return false;
        }
        finally
        {
            Activity.Current = previous;
            foreach (var activity in activities) activity?.Dispose();
        }
    }

    /// <summary>
    /// Commits and leaves the group so the partitions move at once. librdkafka's close can block for good when the
    /// broker goes away mid-close, and a stopping service must not hang on it: past the bound the group's session
    /// timeout moves the partitions instead, and uncommitted messages are redelivered (the handler dedupes them).
    /// </summary>
    private void CloseBounded()
    {
        var started = time.GetTimestamp();
        var close = Task.Run(() =>
        {
            CommitHandled();
            consumer.Close();
        });
        try
        {
            if (close.Wait(CloseTimeout))
            {
                logger.LogInformation("The Kafka consumer left its group in {Elapsed} ms", (long)time.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                logger.LogWarning("The Kafka consumer did not close within {Timeout}; leaving the group to its session timeout", CloseTimeout);
            }
        }
        catch (AggregateException ex)
        {
            logger.LogWarning(ex.InnerException, "Closing the Kafka consumer failed");
        }
    }

    /// <returns>False when the message could be neither handled nor dead-lettered (it will be redelivered).</returns>
    private async Task<bool> ProcessAsync(ConsumeResult<string, string> result)
    {
        using var activity = KafkaTelemetry.StartProcess(result);
        var traceId = TraceIdOf(activity, result);
        var settings = options.CurrentValue;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var e = OrderEvent.Parse(result.Message.Value);
                activity?.SetTag("shop.event.type", e.EventType);
                activity?.SetTag("shop.event.id", e.EventId);
                await using var scope = scopes.CreateAsyncScope();
                var handled = await scope.ServiceProvider.GetRequiredService<OrderEventHandler>().HandleAsync(e, traceId, CancellationToken.None);
                if (!handled)
                {
                    logger.LogInformation("Event {EventId} was already handled; skipped", e.EventId);
                }
                return true;
            }
            catch (PoisonMessageException ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                return await DeadLetterAsync(result, ex.Message);
            }
            catch (Exception ex) when (attempt < settings.MaxAttempts)
            {
                var delay = RetryDelay(attempt, settings);
                logger.LogWarning(ex, "Handling {Topic}/{Partition}@{Offset} failed (attempt {Attempt}); retrying in {Delay}",
                    result.Topic, result.Partition.Value, result.Offset.Value, attempt, delay);
                await Task.Delay(delay, time);
            }
            catch (Exception ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                logger.LogError(ex, "Handling {Topic}/{Partition}@{Offset} failed {Attempts} times; dead-lettering it",
                    result.Topic, result.Partition.Value, result.Offset.Value, attempt);
                return await DeadLetterAsync(result, $"{ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    public static TimeSpan RetryDelay(int attempt, ConsumerOptions settings) =>
        TimeSpan.FromMilliseconds(Math.Min(settings.RetryMaxDelay.TotalMilliseconds,
            settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.8 + Random.Shared.NextDouble() * 0.4)));

    private async Task<bool> DeadLetterAsync(ConsumeResult<string, string> result, string error)
    {
        var headers = new Headers();
        foreach (var header in result.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }
        headers.Add(ErrorHeader, Encoding.UTF8.GetBytes(error));
        headers.Add("original-topic", Encoding.UTF8.GetBytes(result.Topic));
        headers.Add("original-partition", Encoding.UTF8.GetBytes(result.Partition.Value.ToString()));
        headers.Add("original-offset", Encoding.UTF8.GetBytes(result.Offset.Value.ToString()));
        try
        {
            await producer.ProduceAsync(options.CurrentValue.DeadLetterTopic,
                new Message<string, string> { Key = result.Message.Key, Value = result.Message.Value, Headers = headers });
            logger.LogWarning("Message {Topic}/{Partition}@{Offset} dead-lettered: {Error}", result.Topic, result.Partition.Value, result.Offset.Value, error);
            return true;
        }
        catch (ProduceException<string, string> ex)
        {
            logger.LogError("Dead-lettering {Topic}/{Partition}@{Offset} failed: {Reason}", result.Topic, result.Partition.Value, result.Offset.Value, ex.Error.Reason);
            return false;
        }
    }

    /// <summary>
    /// Commits the offsets after the handled messages, in batches (every <see cref="CommitEvery"/> messages or
    /// <see cref="CommitInterval"/>, when idle and at shutdown): only handled messages are ever committed, and a
    /// crash before a commit only redelivers messages the handler then recognises by event id.
    /// </summary>
    private void CommitHandled()
    {
        if (_handled.Count == 0) return;
        try
        {
            consumer.Commit(_handled.Values);
            _handled.Clear();
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Committing {Count} partition offsets failed: {Reason}; retrying with the next commit", _handled.Count, ex.Error.Reason);
        }
        _sinceCommit = 0;
        _lastCommit = time.GetTimestamp();
    }

    /// <summary>The trace a message's notifications are stored with: its process span's, else the one its headers carry.</summary>
    private static string? TraceIdOf(Activity? activity, ConsumeResult<string, string> result) =>
        activity?.TraceId.ToString() ?? NonEmpty(KafkaTelemetry.Extract(result.Message.Headers).ActivityContext.TraceId);

    private static string? NonEmpty(ActivityTraceId traceId) => traceId == default ? null : traceId.ToString();
}
