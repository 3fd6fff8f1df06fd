namespace Shop.WebApp.Services;

/// <summary>order-api's status names (lowercase: pending, paid, shipped, delivered, cancelled) and how a shopper reads them.</summary>
public static class OrderStatuses
{
    public const string Pending = "pending";
    public const string Paid = "paid";

    public static bool Is(string? status, string name) => string.Equals(status, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether order-api allows a cancel (Pending or Paid → Cancelled).</summary>
    public static bool CanCancel(string? status) => Is(status, Pending) || Is(status, Paid);

    public static string Display(string? status) =>
        string.IsNullOrEmpty(status) ? "Unknown" : char.ToUpperInvariant(status[0]) + status[1..].ToLowerInvariant();
}
