using System.Text.Json;

namespace Shop.Notifier.IntegrationEvents;

/// <summary>The fields of OrderApi's order events (version 1) that the Notifier needs; read by name.</summary>
public sealed record OrderEvent(Guid EventId, string EventType, int Version, DateTimeOffset OccurredAt, Guid OrderId,
    Guid UserId, string? CustomerEmail, string Status, decimal Total, string Currency)
{
    public static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>
    {
        "order.created", "order.paid", "order.shipped", "order.delivered", "order.cancelled",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Parses a message value; anything that is not a well-formed version-1 order event is poison.</summary>
    public static OrderEvent Parse(string? value)
    {
        OrderEvent? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<OrderEvent>(value ?? "", Json);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException($"Not valid JSON: {ex.Message}");
        }
        if (parsed is null || parsed.EventId == Guid.Empty || parsed.OrderId == Guid.Empty || parsed.UserId == Guid.Empty)
        {
            throw new PoisonMessageException("Not an order event: eventId, orderId and userId are required.");
        }
        if (!KnownTypes.Contains(parsed.EventType ?? "") || parsed.Version != 1)
        {
            throw new PoisonMessageException($"Unsupported event type '{parsed.EventType}' version {parsed.Version}.");
        }
        return parsed;
    }
}

/// <summary>A message no retry can fix: it goes to the dead-letter topic at once.</summary>
public sealed class PoisonMessageException(string message) : Exception(message);
