namespace Shop.Notifier.Model;

/// <summary>A notification sent to a customer on one channel, kept so the customer can read it back.</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public string Channel { get; set; } = "";
    public Guid EventId { get; set; }
    public string EventType { get; set; } = "";
    public Guid OrderId { get; set; }
    public string Text { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? TraceId { get; set; }
}

/// <summary>One row per handled event: a redelivered event finds its row and is not notified twice.</summary>
public sealed class ProcessedEvent
{
    public Guid EventId { get; set; }
    public string EventType { get; set; } = "";
    public DateTimeOffset ProcessedAt { get; set; }
}
