namespace Shop.OrderApi.IntegrationEvents;

public sealed class OutboxRelayOptions
{
    public const string SectionName = "Orders:Outbox";

    public string Topic { get; set; } = "orders";
    public int BatchSize { get; set; } = 200;
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);
}
