namespace Shop.OrderApi.Services;

/// <summary>Section "Orders:Payment" (live-reloaded).</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Orders:Payment";

    /// <summary>This card number is always declined (documented for testers, like a card network's test cards).</summary>
    public const string DecliningTestCard = "4000000000000002";

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Share of payments with other cards that the provider declines at random (0 to 1).</summary>
    public double FailureRate { get; set; }
}

public sealed record PaymentResult(bool Approved, string Reference, string? DeclineReason);

/// <summary>A simulated card payment provider: configurable latency and failure rate, one always-declining card.</summary>
public sealed class SimulatedPaymentProvider(Microsoft.Extensions.Options.IOptionsMonitor<PaymentOptions> options, TimeProvider time)
{
    public async Task<PaymentResult> ChargeAsync(Guid orderId, decimal amount, string currency, string cardNumber, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, time, cancellationToken);
        }
        var reference = $"pay_{Guid.NewGuid():N}";
        if (cardNumber == PaymentOptions.DecliningTestCard)
        {
            return new PaymentResult(false, reference, "The card was declined.");
        }
        return Random.Shared.NextDouble() < settings.FailureRate
            ? new PaymentResult(false, reference, "The payment provider declined the charge.")
            : new PaymentResult(true, reference, null);
    }
}
