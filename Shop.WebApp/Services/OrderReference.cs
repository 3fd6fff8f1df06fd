namespace Shop.WebApp.Services;

/// <summary>
/// The short order number shown to shoppers and admins: the last 8 hex digits of the order id. Order ids are UUIDv7,
/// whose first digits are the creation time (orders of the same minute share them); the last ones are random. The
/// notifier's messages use the same digits.
/// </summary>
public static class OrderReference
{
    public static string Of(Guid orderId) => orderId.ToString()[^8..];
}
