using Shop.ServiceDefaults.Configuration;

namespace Shop.OrderApi.Services;

public sealed class OutboxRelayOptions
{
    public const string SectionName = "Orders:Outbox";

    public string Topic { get; set; } = ShopResources.OrdersTopic;
    public int BatchSize { get; set; } = 200;
    /// <summary>
    /// The poll for rows no save of this process announced (see <see cref="OutboxSignal"/>): events of a replica that
    /// died before relaying them. Every save of this process wakes the relay at once, so this is recovery's pace,
    /// not the events' latency; each poll is a transaction on PostgreSQL, twice a second per replica at 500 ms.
    /// </summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How soon to try again when the other replica held the relay lock.</summary>
    public TimeSpan ContendedDelay { get; set; } = TimeSpan.FromMilliseconds(20);
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a published event's row stays in the outbox before the order maintenance deletes it.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Rows the purge looks at per statement (the outbox's oldest); it repeats while it deletes any.</summary>
    public int PurgeBatchSize { get; set; } = 1000;
}
