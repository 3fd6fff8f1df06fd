namespace Shop.WebApp.Services;

/// <summary>order-api's status names (lowercase: pending, paid, shipped, delivered, cancelled) and how a shopper reads them.</summary>
public static class OrderStatuses
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    /// <summary>Every status, in the order an order moves through them (the admin's filter).</summary>
    public static readonly string[] All = [Pending, Paid, Shipped, Delivered, Cancelled];

    public static bool Is(string? status, string name) => string.Equals(status, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether order-api allows a cancel (Pending or Paid → Cancelled).</summary>
    public static bool CanCancel(string? status) => Is(status, Pending) || Is(status, Paid);

    /// <summary>The admin's next step for an order, as order-api's state machine allows it: Paid → Shipped → Delivered.</summary>
    public static string? NextFulfilment(string? status) =>
        Is(status, Paid) ? Shipped : Is(status, Shipped) ? Delivered : null;

    public static string Display(string? status) =>
        string.IsNullOrEmpty(status) ? "Unknown" : char.ToUpperInvariant(status[0]) + status[1..].ToLowerInvariant();
}
