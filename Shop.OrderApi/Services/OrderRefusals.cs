using Shop.ServiceDefaults.Refusals;

namespace Shop.OrderApi.Services;

/// <summary>The refusals the order services share, worded once.</summary>
public static class OrderRefusals
{
    public static NotFoundRefusal NoSuchOrder() => new("No such order.");

    public static ConflictRefusal ChangedMeanwhile() =>
        new("The order was changed by another request; reload it and try again.");

    /// <param name="orderId">The order being paid, named in the answer (<c>orderId</c>): a checkout's replay may be the
    /// caller's first news that the order exists.</param>
    public static ConflictRefusal PaymentInProgress(Guid orderId) =>
        new("A payment of this order is being processed; reload the order after the time in Retry-After.", "Payment In Progress",
            new Dictionary<string, object?> { ["orderId"] = orderId })
        {
            RetryAfter = TimeSpan.FromSeconds(1),
        };

    /// <summary>
    /// The order's total at the reservation's prices is not the one the customer was shown (a price changed since): the
    /// reservation is given back and the claim released, so nothing is stored or charged; the same Idempotency-Key may retry.
    /// </summary>
    /// <param name="expected">The total the customer was shown, if the request named one.</param>
    /// <param name="expectedCurrency">The currency the customer was shown, if the request named one.</param>
    /// <param name="total">The total now, named in the answer (<c>total</c>, in <c>currency</c>, ISO 4217).</param>
    public static ConflictRefusal PricesChanged(decimal? expected, string? expectedCurrency, decimal total, string currency) =>
        new($"Prices changed: the order's total is now {total:0.00} {currency}, not {Shown(expected, expectedCurrency)}; nothing was " +
            "ordered or charged. Review the prices and order again.", ConflictRefusal.PricesChangedTitle,
            new Dictionary<string, object?> { ["total"] = total, ["currency"] = currency });

    private static string Shown(decimal? total, string? currency) => (total, currency) switch
    {
        ({ } amount, { } code) => $"{amount:0.00} {code}",
        ({ } amount, null) => $"{amount:0.00}",
        (null, { } code) => $"in {code}",
        _ => "as shown",
    };

    /// <summary>The sweeper revoked the request's claim (its lease ran out): nothing is stored, the same key may retry.</summary>
    public static UnavailableRefusal ClaimLapsed() =>
        new("The order took too long to place and was abandoned; retry with the same Idempotency-Key.") { RetryAfter = TimeSpan.FromSeconds(1) };
}
