namespace Shop.ProductApi.Model;

/// <summary>The outcome of ReserveStock for one order; the order id is the key, so a replay can never reserve twice.</summary>
public sealed class Reservation
{
    public Guid OrderId { get; set; }
    public ReservationStatus Status { get; set; }

    /// <summary>For a rejected reservation: the shortfalls, kept so a replay answers exactly as the first call did.</summary>
    public List<StockShortage>? Shortages { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
    public List<ReservationLine> Lines { get; set; } = [];
}

public enum ReservationStatus
{
    Reserved = 1,
    Rejected = 2,
    Released = 3,
}

public sealed class ReservationLine
{
    public Guid OrderId { get; set; }
    public Guid ProductId { get; set; }
    public int Quantity { get; set; }
}

/// <summary>Why one item could not be reserved: <see cref="Available"/> is null when the product does not exist.</summary>
public sealed record StockShortage(Guid ProductId, int Requested, int? Available);
