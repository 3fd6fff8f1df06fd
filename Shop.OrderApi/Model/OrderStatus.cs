namespace Shop.OrderApi.Model;

public enum OrderStatus
{
    Pending,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
}

/// <summary>A status as the API and the events spell it: lower-case ("pending").</summary>
public static class OrderStatusNames
{
    public static string ToApiName(this OrderStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out OrderStatus status) =>
        Enum.TryParse(value, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(value, out _);
}
