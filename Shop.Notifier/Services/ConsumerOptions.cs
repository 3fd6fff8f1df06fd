using Shop.ServiceDefaults.Configuration;

namespace Shop.Notifier.Services;

/// <summary>Section "Notifier:Consumer" (live-reloaded).</summary>
public sealed class ConsumerOptions
{
    public const string SectionName = "Notifier:Consumer";

    public string Topic { get; set; } = ShopResources.OrdersTopic;
    public string DeadLetterTopic { get; set; } = ShopResources.OrdersDeadLetterTopic;

    /// <summary>Attempts at handling one message before it goes to the dead-letter topic.</summary>
    public int MaxAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages handled in one database transaction at most, when that many have already arrived.</summary>
    public int MaxBatchSize { get; set; } = 100;
}
